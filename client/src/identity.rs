//! Who I am on boards: display name, role and presence colour, remembered in
//! `localStorage` so people join once per browser rather than once per visit.

use coboard_shared::schema::{Author, ParticipantRole, author_key_hash};
use serde::{Deserialize, Serialize};

const KEY: &str = "coboard.identity";

/// Presence colours: strong enough to see as outlines and dots on a white page
/// (each has at least 3:1 contrast against white).
const PRESENCE_COLOURS: [&str; 8] = [
    "#1f6fd1", "#c2185b", "#2e7d32", "#8e24aa", "#d84315", "#00838f", "#6d4c41", "#5c6bc0",
];

/// The person using this browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: String,
    pub role: ParticipantRole,
    /// Hex colour shown next to my name and around notes I have selected.
    pub colour: String,
    /// Random id of this browser's person: the key of my ballots, and how I find my own
    /// contributions. Not secret (it is stored with named contributions).
    #[serde(default = "new_id")]
    pub id: String,
    /// Secret proving a sealed-round ballot is mine when I change it; never put in the board.
    #[serde(default = "new_id")]
    pub ballot_key: String,
    /// My contributions are stored without my name.
    #[serde(default)]
    pub anonymous: bool,
    /// The voter id my open-round ballots use while I am anonymous: random and separate
    /// from `id`, so anonymous votes cannot be linked to my named contributions.
    #[serde(default = "new_id")]
    pub anonymous_voter: String,
    /// Secret from which each item I add gets its own key ([`Identity::item_key`]), so
    /// that I alone can withdraw it later. Never put in the board; one item's key is sent
    /// only to the server, when I withdraw that item. Separate from `ballot_key`.
    #[serde(default = "new_secret")]
    pub author_secret: String,
}

fn new_id() -> String {
    crate::dom::random_hex(4)
}

fn new_secret() -> String {
    crate::dom::secret_hex(32)
}

impl Identity {
    /// A fresh identity with a random presence colour and the given name and role.
    pub fn new(name: String, role: ParticipantRole) -> Self {
        let i = (js_sys::Math::random() * PRESENCE_COLOURS.len() as f64) as usize;
        Self {
            name,
            role,
            colour: PRESENCE_COLOURS[i.min(PRESENCE_COLOURS.len() - 1)].to_owned(),
            id: new_id(),
            ballot_key: new_id(),
            anonymous: false,
            anonymous_voter: new_id(),
            author_secret: new_secret(),
        }
    }

    /// The key that proves item `item` of board `board` is mine. Each item gets its own,
    /// so the keys stored in the board cannot link my items to each other (or my
    /// anonymous contributions to my named ones), and sending one to withdraw that item
    /// gives nobody a way to withdraw my others.
    pub fn item_key(&self, board: &str, item: &str) -> String {
        author_key_hash(&format!("item:{board}:{item}:{}", self.author_secret))
    }

    /// What an item I add keeps as its `author_key`: the hash of its [`Self::item_key`].
    pub fn item_author_key(&self, board: &str, item: &str) -> String {
        author_key_hash(&self.item_key(board, item))
    }

    /// The secret behind my person id on board `board` ([`Self::person_id`]). Sent only
    /// to the server, when I accept the facilitator role offered to that id: it proves
    /// the offer is mine without anything secret ever being in the board.
    pub fn person_key(&self, board: &str) -> String {
        author_key_hash(&format!("person:{board}:{}", self.author_secret))
    }

    /// Who I am on board `board`, published with my presence so a facilitator can offer
    /// me their role. Different on every board, so it does not link my boards together.
    pub fn person_id(&self, board: &str) -> String {
        author_key_hash(&self.person_key(board))
    }

    /// The key my ballots are kept under in open rounds.
    pub fn voter_id(&self) -> &str {
        if self.anonymous {
            &self.anonymous_voter
        } else {
            &self.id
        }
    }

    /// Me as the author of a contribution (stored without name or id when anonymous).
    pub fn author(&self) -> Author {
        Author {
            name: self.name.clone(),
            role: self.role,
            anonymous: self.anonymous,
            id: self.id.clone(),
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The remembered identity, if this browser has joined a board before.
pub fn load() -> Option<Identity> {
    let json = storage()?.get_item(KEY).ok().flatten()?;
    let identity = serde_json::from_str::<Identity>(&json)
        .ok()
        .filter(|i| !i.name.trim().is_empty())?;
    // An identity saved by an earlier version gets its missing secrets made up here; kept
    // at once, or the next visit would make different ones (and lose my items' keys).
    save(&identity);
    Some(identity)
}

/// Remembers the identity; private browsing may refuse, which only means asking again.
pub fn save(identity: &Identity) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(identity)) {
        let _ = s.set_item(KEY, &json);
    }
}

/// Accepts only `#rgb` / `#rrggbb` colours from other people's presence states, so a
/// hostile state cannot smuggle arbitrary CSS into a style attribute.
pub fn safe_colour(c: &str) -> Option<&str> {
    let hex = c.strip_prefix('#')?;
    (matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(c)
}
