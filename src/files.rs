//! Writing files the clerk relies on: archived prints, exported registers,
//! copies asked for with `--out`.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::messages as msg;

/// Writes a file so that it is complete on disk or absent: temp file,
/// fsync, rename, then fsync of the folder so the new name survives a
/// power cut too.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, false)
}

/// `write_durably` for a file of the data folder: readable by its owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, true)
}

fn write_whole(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
    }
    let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".part");
    let tmp = path.with_file_name(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private; // the folder's ACL (the user's profile) protects it
    let mut f = options.open(&tmp).map_err(|e| Error::file(&tmp, e))?;
    f.write_all(bytes).map_err(|e| Error::file(&tmp, e))?;
    f.sync_all().map_err(|e| Error::file(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::file(path, e))?;
    sync_folder(dir.unwrap_or(Path::new(".")))
}

#[cfg(unix)]
pub(crate) fn sync_folder(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::file(dir, e))
}

#[cfg(not(unix))]
pub(crate) fn sync_folder(_dir: &Path) -> Result<()> {
    // Windows cannot open a folder as a file; NTFS journals the rename.
    Ok(())
}

/// Where a user-chosen output goes: `-` is standard output; an existing
/// file that is not a regular one (a FIFO, a device such as /dev/null) is
/// written into, never replaced; a folder is refused; anything else is
/// written durably (complete or absent).
pub fn write_out(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|e| Error::file("-", e));
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::invalid(
            "out_is_folder",
            "out",
            msg::out_is_folder(&path.display().to_string()),
        )),
        Ok(m) if !m.is_file() => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes).and_then(|_| f.flush()))
            .map_err(|e| Error::file(path, e)),
        _ => write_durably(path, bytes),
    }
}

/// Makes the data folder (and its parents) and keeps it private: 0700 on
/// Unix; on Windows it lives in the user's profile, whose ACL keeps others out.
pub fn make_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| Error::file(dir, e))?;
    }
    Ok(())
}
