//! "What my link lets me do", shown in the toolbar: the access role the server gave my
//! invite token, in plain words, plus a one-off explanation for view-only links (so
//! people do not hunt for the missing "Add note" button).

use coboard_shared::api::AccessRole;
use leptos::prelude::*;

/// "Viewer" for `viewer`.
pub fn role_name(role: AccessRole) -> &'static str {
    match role {
        AccessRole::Facilitator => "Facilitator",
        AccessRole::Contributor => "Contributor",
        AccessRole::Viewer => "Viewer",
    }
}

/// The access role this page was opened with. Provided as context by the workspace, so
/// deeply nested controls (note buttons, text boxes) can hide or lock themselves.
pub fn my_role() -> AccessRole {
    // Without a role nothing may be changed: the safe default.
    use_context::<AccessRole>().unwrap_or(AccessRole::Viewer)
}

/// Who I write as, for the board's rules (`coboard_shared::rules::may`). A view-only link
/// writes nothing; it is never asked, as its controls are hidden.
pub fn my_writer() -> coboard_shared::rules::Writer {
    use coboard_shared::rules::Writer;
    match my_role() {
        AccessRole::Facilitator => Writer::Facilitator,
        _ => Writer::Contributor,
    }
}

/// What an empty board says: only people who can add notes are told to add one.
pub fn empty_text() -> &'static str {
    if my_role().can_edit() {
        "No notes yet. Use “Add note” to write the first one."
    } else {
        "No notes yet."
    }
}

#[component]
pub fn AccessRoleBadge(role: AccessRole) -> impl IntoView {
    view! {
        <p id="access-role" class="access-role" data-role=role.as_str()>
            <span class="access-role-name">{format!("Your link: {}", role_name(role))}</span>
            {format!(" — you {}.", role.describe())}
        </p>
        {(!role.can_edit()).then(|| view! {
            <p class="view-only-note">
                "This is a view-only link, so you can read but not change the board."
            </p>
        })}
    }
}
