// Browser tests start an app and drive a browser each; on a 2-core machine running them side by side only
// makes them slower and flakier, so the whole assembly runs one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
