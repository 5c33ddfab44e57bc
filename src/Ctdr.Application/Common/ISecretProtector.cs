namespace Ctdr.Application.Common;

/// <summary>Encrypts secrets (cloud access keys) for storage and decrypts them for the moment they are used.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    /// <summary>Decrypts; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the value was not protected by this key ring.</summary>
    string Unprotect(string protectedValue);
}
