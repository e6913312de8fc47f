//! The machine's PostgreSQL (127.0.0.1:5432, database `test`, user `postgres`, trust
//! authentication) for tests, through the `psql` program: a scratch schema per test.

use anyhow::{Context, Result, bail};

/// Runs one SQL statement and returns its output, unaligned and without headers.
pub fn psql(sql: &str) -> Result<String> {
    let out = std::process::Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-At"])
        .args(["-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .context("running psql")?;
    if !out.status.success() {
        bail!("psql: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A scratch schema, dropped when this goes out of scope.
pub struct Schema(pub String);

impl Schema {
    pub fn new(prefix: &str) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("{prefix}_{}_{nanos:x}", std::process::id());
        psql(&format!("CREATE SCHEMA {name}"))?;
        Ok(Self(name))
    }

    /// The database URL that puts a server in this schema.
    pub fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:5432/test?options[search_path]={}",
            self.0
        )
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = psql(&format!("DROP SCHEMA {} CASCADE", self.0));
    }
}
