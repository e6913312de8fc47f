//! Who is connected to which board through this instance.
//!
//! Board actors report joins, leaves and presence changes here. Without Redis this is the
//! whole answer to `GET /api/boards/{id}/presence`; with Redis, every instance publishes
//! its part under a key that expires (see `redis`), so the people of an instance that dies
//! disappear once their key does.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use coboard_shared::api::{AccessRole, PresentPerson};
use serde::Deserialize;

use crate::ids::ConnId;

#[derive(Default)]
pub(super) struct LocalPresence {
    boards: Mutex<HashMap<String, HashMap<ConnId, PresentPerson>>>,
    /// Boards whose people changed since Redis was last told.
    dirty: Mutex<HashSet<String>>,
}

/// The part of a y-websocket awareness state that presence shows.
#[derive(Deserialize)]
struct AwarenessState {
    user: Option<User>,
}

#[derive(Deserialize)]
struct User {
    name: Option<String>,
    #[serde(default)]
    anonymous: bool,
    /// The per-board person id (64 hex digits) the client publishes.
    #[serde(default)]
    person: String,
}

impl LocalPresence {
    pub(super) fn join(&self, board: &str, conn: ConnId, role: AccessRole, instance: &str) {
        let now = crate::now_ms();
        self.boards
            .lock()
            .expect("presence lock")
            .entry(board.to_owned())
            .or_default()
            .insert(
                conn,
                PresentPerson {
                    name: None,
                    anonymous: false,
                    role,
                    instance: instance.to_owned(),
                    since: now,
                    last_active: now,
                    person: String::new(),
                },
            );
        self.touch(board);
    }

    /// Reads a name from an awareness state (JSON) the connection sent, if it has one.
    /// True if what others see of this person changed.
    pub(super) fn seen(&self, board: &str, conn: ConnId, state: Option<&str>) -> bool {
        let user = state
            .and_then(|s| serde_json::from_str::<AwarenessState>(s).ok())
            .and_then(|s| s.user);
        let mut boards = self.boards.lock().expect("presence lock");
        let Some(person) = boards.get_mut(board).and_then(|b| b.get_mut(&conn)) else {
            return false;
        };
        person.last_active = crate::now_ms();
        let mut changed = false;
        if let Some(user) = user {
            let name = match user.anonymous {
                true => None,
                // A name is shown to others; keep it to a sensible length.
                false => user.name.map(|n| n.chars().take(80).collect::<String>()),
            };
            changed = name != person.name || user.anonymous != person.anonymous;
            person.name = name;
            person.anonymous = user.anonymous;
            if coboard_shared::schema::is_key_hash(&user.person) {
                person.person = user.person;
            }
        }
        drop(boards);
        if changed {
            self.touch(board);
        }
        changed
    }

    /// Forgets a connection; returns who it was.
    pub(super) fn leave(&self, board: &str, conn: ConnId) -> Option<PresentPerson> {
        let mut boards = self.boards.lock().expect("presence lock");
        let mut gone = None;
        if let Some(people) = boards.get_mut(board) {
            gone = people.remove(&conn);
            if people.is_empty() {
                boards.remove(board);
            }
        }
        drop(boards);
        self.touch(board);
        gone
    }

    /// This instance's people on a board, oldest connection first.
    pub(super) fn people(&self, board: &str) -> Vec<PresentPerson> {
        let boards = self.boards.lock().expect("presence lock");
        let mut people: Vec<PresentPerson> = boards
            .get(board)
            .map(|b| b.values().cloned().collect())
            .unwrap_or_default();
        people.sort_by_key(|p| p.since);
        people
    }

    /// Every board with people here, and its people (for the Redis heartbeat).
    pub(super) fn all(&self) -> Vec<(String, Vec<PresentPerson>)> {
        let boards = self.boards.lock().expect("presence lock");
        boards
            .iter()
            .map(|(b, people)| (b.clone(), people.values().cloned().collect()))
            .collect()
    }

    /// Connections on this instance, across boards.
    pub(super) fn connections(&self) -> usize {
        let boards = self.boards.lock().expect("presence lock");
        boards.values().map(HashMap::len).sum()
    }

    pub(super) fn take_dirty(&self) -> Vec<String> {
        self.dirty.lock().expect("presence lock").drain().collect()
    }

    fn touch(&self, board: &str) {
        self.dirty
            .lock()
            .expect("presence lock")
            .insert(board.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_awareness_and_anonymous_people_have_none() {
        let p = LocalPresence::default();
        p.join("b", 1, AccessRole::Contributor, "a");
        p.join("b", 2, AccessRole::Viewer, "a");
        p.seen("b", 1, Some(r#"{"user":{"name":"Asha","role":"public"}}"#));
        p.seen("b", 2, Some(r#"{"user":{"name":"Ben","anonymous":true}}"#));
        p.seen("b", 2, Some("not json"));
        let people = p.people("b");
        assert_eq!(people.len(), 2);
        assert_eq!(
            people
                .iter()
                .find(|x| x.role == AccessRole::Contributor)
                .unwrap()
                .name
                .as_deref(),
            Some("Asha")
        );
        let ben = people
            .iter()
            .find(|x| x.role == AccessRole::Viewer)
            .unwrap();
        assert_eq!((ben.name.as_deref(), ben.anonymous), (None, true));
        assert_eq!(p.connections(), 2);
        p.leave("b", 1);
        p.leave("b", 2);
        assert!(p.people("b").is_empty());
        assert!(p.all().is_empty());
        assert_eq!(p.take_dirty(), ["b"]);
    }
}
