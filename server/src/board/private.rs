//! Access needs reach facilitators only.
//!
//! A person may share their access needs (`user.needs` in their awareness state) so that
//! facilitators can meet them; they agreed to share with facilitators, not with everyone
//! on the board. The server therefore sends awareness states with `needs` only to
//! connections whose link is a facilitator's, and a copy without it to everyone else.
//! The copy is made once per awareness change, not once per connection.

use coboard_shared::protocol::{self, Msg};
use yrs::sync::AwarenessUpdate;
use yrs::sync::awareness::AwarenessUpdateEntry;

/// The update with `user.needs` removed from every state, or `None` if no state has it
/// (then everyone gets the same frame).
pub fn without_needs(update: &AwarenessUpdate) -> Option<AwarenessUpdate> {
    let mut changed = false;
    let mut clients = update.clients.clone();
    for entry in clients.values_mut() {
        if !entry.json.contains("\"needs\"") {
            continue;
        }
        let Ok(mut state) = serde_json::from_str::<serde_json::Value>(&entry.json) else {
            continue;
        };
        let removed = state
            .get_mut("user")
            .and_then(|u| u.as_object_mut())
            .and_then(|u| u.remove("needs"))
            .is_some();
        if removed {
            changed = true;
            *entry = AwarenessUpdateEntry {
                clock: entry.clock,
                json: state.to_string().into(),
            };
        }
    }
    changed.then_some(AwarenessUpdate { clients })
}

/// The frame for non-facilitators of an awareness update, when it must differ.
pub fn public_frame(update: &AwarenessUpdate) -> Option<bytes::Bytes> {
    without_needs(update).map(|u| protocol::encode(&Msg::Awareness(u)).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::ClientID;

    fn update(json: &str) -> AwarenessUpdate {
        AwarenessUpdate {
            clients: [(
                ClientID::new(7),
                AwarenessUpdateEntry {
                    clock: 3,
                    json: json.into(),
                },
            )]
            .into(),
        }
    }

    #[test]
    fn needs_are_removed_and_everything_else_kept() {
        let u = update(r#"{"user":{"name":"Pat","needs":["more_time"],"person":"p"},"cursor":1}"#);
        let out = without_needs(&u).unwrap();
        let entry = &out.clients[&ClientID::new(7)];
        assert_eq!(entry.clock, 3);
        let v: serde_json::Value = serde_json::from_str(&entry.json).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"user": {"name": "Pat", "person": "p"}, "cursor": 1})
        );
    }

    #[test]
    fn states_without_needs_are_left_alone() {
        assert!(without_needs(&update(r#"{"user":{"name":"Pat"}}"#)).is_none());
        assert!(without_needs(&update("null")).is_none());
        // The word elsewhere is not a need.
        assert!(without_needs(&update(r#"{"note":"\"needs\""}"#)).is_none());
    }
}
