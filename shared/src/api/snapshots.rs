//! Named snapshots of a board.

use serde::{Deserialize, Serialize};

/// Longest snapshot name accepted, in characters.
pub const MAX_SNAPSHOT_NAME_CHARS: usize = 120;

/// `POST /api/boards/{id}/snapshots`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreateSnapshot {
    /// Such as "Agreed at meeting 3".
    pub name: String,
}

/// A named snapshot: the whole board as it was at one moment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SnapshotInfo {
    pub id: String,
    pub name: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Taken by the server because something was agreed, rather than by a person.
    pub auto: bool,
    /// Size of the stored copy, in bytes.
    pub bytes: u64,
}

/// `POST /api/boards/{id}/snapshots/{snapshot}/restore`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct RestoreSnapshot {
    /// The new board's title; by default the old title with the snapshot's name.
    #[serde(default)]
    pub title: Option<String>,
}

/// Checks a snapshot name; the message is shown to people.
pub fn validate_snapshot_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Please give the snapshot a name, such as \"Agreed at meeting 3\".".to_owned());
    }
    if name.chars().count() > MAX_SNAPSHOT_NAME_CHARS {
        return Err(format!(
            "The name is too long: at most {MAX_SNAPSHOT_NAME_CHARS} characters."
        ));
    }
    Ok(())
}
