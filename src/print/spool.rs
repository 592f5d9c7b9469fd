//! Sending a PDF to the operating system's print spooler.
//!
//! * Linux/macOS: CUPS, through its standard `lp`/`lpstat` commands (the
//!   queue takes PDF directly).
//! * Windows (designed, not built here): the spooler takes raw bytes, so a
//!   PDF is handed to SumatraPDF (`-print-to NAME -silent`), whose path is
//!   the `MOTCUA_SUMATRA` variable or `SumatraPDF.exe` beside motcua.
//!   Printers are listed with PowerShell's `Get-Printer`.

use std::process::Command;

use crate::error::{Error, Result};
use crate::messages as msg;

use super::Paper;

fn failed(printer: &str, detail: impl Into<String>) -> Error {
    Error::Print {
        code: "print_failed",
        message: msg::printer_failed(printer, &detail.into()),
    }
}

/// Names of the print queues the OS knows.
pub fn printers() -> Result<Vec<String>> {
    #[cfg(unix)]
    {
        let out = Command::new("lpstat").arg("-e").output().map_err(|e| Error::Print {
            code: "print_system_missing",
            message: msg::print_system_missing(&e.to_string()),
        })?;
        // lpstat answers 0 with an empty list when CUPS runs with no queue;
        // anything else (the scheduler down …) is not "no printers".
        if !out.status.success() {
            let detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(Error::Print {
                code: "print_system_unavailable",
                message: msg::print_system_unavailable(&detail),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect())
    }
    #[cfg(windows)]
    {
        let out = Command::new("powershell")
            .args([
                "-NoProfile",
                "-Command",
                "Get-Printer | Select-Object -ExpandProperty Name",
            ])
            .output()
            .map_err(|e| failed("Windows", e.to_string()))?;
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect())
    }
}

/// Sends a PDF to `printer`, `copies` times, on `paper`; the job id. The
/// PDF is handed over from memory (the archive keeps it sealed): `lp` reads
/// it on its standard input; SumatraPDF on Windows needs a file, a
/// temporary one removed as soon as it returns.
pub fn send(printer: &str, pdf: &[u8], copies: u32, paper: Paper, title: &str) -> Result<String> {
    #[cfg(unix)]
    {
        use std::io::Write;
        let mut child = Command::new("lp")
            .arg("-d")
            .arg(printer)
            .arg("-n")
            .arg(copies.to_string())
            .arg("-o")
            .arg(format!("media={}", paper.name()))
            .arg("-t")
            .arg(title)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| failed(printer, msg::lp_missing(&e.to_string())))?;
        if let Some(mut stdin) = child.stdin.take() {
            // lp refusing early closes the pipe: its own message says why.
            let _ = stdin.write_all(pdf);
        }
        let out = child.wait_with_output().map_err(|e| failed(printer, e.to_string()))?;
        if !out.status.success() {
            return Err(failed(printer, String::from_utf8_lossy(&out.stderr).trim().to_string()));
        }
        let said = String::from_utf8_lossy(&out.stdout);
        // "request id is VN_PDF-3 (0 file(s))"
        Ok(said
            .split_whitespace()
            .skip_while(|w| *w != "is")
            .nth(1)
            .unwrap_or("")
            .to_string())
    }
    #[cfg(windows)]
    {
        let _ = (paper, title);
        let sumatra = std::env::var_os("MOTCUA_SUMATRA")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::current_exe().ok().map(|p| p.with_file_name("SumatraPDF.exe")))
            .filter(|p| p.exists())
            .ok_or_else(|| failed(printer, msg::print_unsupported_platform()))?;
        let file = std::env::temp_dir().join(format!("motcua-{}.pdf", uuid::Uuid::now_v7()));
        std::fs::write(&file, pdf).map_err(|e| Error::file(&file, e))?;
        let status = Command::new(sumatra)
            .args(["-print-to", printer, "-print-settings"])
            .arg(format!("{copies}x"))
            .arg("-silent")
            .arg(&file)
            .status();
        let _ = std::fs::remove_file(&file);
        let status = status.map_err(|e| failed(printer, e.to_string()))?;
        if !status.success() {
            return Err(failed(printer, format!("SumatraPDF trả về {status}")));
        }
        Ok(String::new())
    }
}
