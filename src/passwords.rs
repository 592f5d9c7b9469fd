//! Passwords: Argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane),
//! a random salt per password, kept as a PHC string.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

fn argon2() -> Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| Error::refused("password_hash", e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::refused("random_unavailable", e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::refused("password_hash", e.to_string()))?;
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::refused("password_hash", e.to_string()))?
        .to_string())
}

/// Whether `password` is the one `phc` was made from (false for a broken hash).
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_itself() {
        let phc = hash_password("mật khẩu đủ dài").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("mật khẩu đủ dài", &phc));
        assert!(!verify_password("mật khẩu đủ dài ", &phc));
        assert!(!verify_password("mật khẩu đủ dài", "không phải PHC"));
        assert_ne!(phc, hash_password("mật khẩu đủ dài").unwrap(), "a new salt each time");
    }
}
