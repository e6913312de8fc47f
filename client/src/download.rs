//! Downloading an export of the board (or of a snapshot) as a file.
//!
//! The export needs the invite token in an `Authorization` header, so a plain link cannot
//! fetch it. Instead the file is fetched here, its body turned into a `Blob`, and a
//! temporary `<a download>` pointing at a `blob:` URL is clicked. The URL is revoked a
//! little later, once the browser has started saving the file.

use std::time::Duration;

use leptos::prelude::{document, set_timeout};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlAnchorElement, Url};

use crate::api::{self, Failure};

/// One format people can download: its query value, button words, what the progress
/// message calls it, and the file extension used when the server names no file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub id: &'static str,
    pub label: &'static str,
    pub name: &'static str,
    pub ext: &'static str,
}

/// Every format, most useful first.
pub const FORMATS: [Format; 5] = [
    Format {
        id: "pdf",
        label: "PDF (for printing and sharing)",
        name: "PDF",
        ext: "pdf",
    },
    Format {
        id: "html",
        label: "Web page (opens in Word too)",
        name: "web page",
        ext: "html",
    },
    Format {
        id: "md",
        label: "Markdown",
        name: "Markdown file",
        ext: "md",
    },
    Format {
        id: "json",
        label: "JSON (for other tools)",
        name: "JSON file",
        ext: "json",
    },
    Format {
        id: "csv",
        label: "Spreadsheet (CSV of priorities)",
        name: "spreadsheet",
        ext: "csv",
    },
];

/// What goes into the file: only what the group agreed, or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Agreed,
    All,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agreed => "agreed",
            Self::All => "all",
        }
    }
}

/// The file name in a `Content-Disposition` header, such as
/// `attachment; filename="getting-there.pdf"`.
fn file_name(disposition: &str) -> Option<String> {
    let start = disposition.find("filename=")? + "filename=".len();
    let rest = disposition[start..].trim_start();
    let name = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => rest.split(';').next()?.trim(),
    };
    // Only the last part of a path, so a file can never land outside the downloads folder.
    let name = name.rsplit(['/', '\\']).next()?.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Fetches the export and hands it to the browser as a download; answers the file name.
pub async fn download(
    board: &str,
    token: &str,
    format: Format,
    scope: Scope,
    snapshot: Option<&str>,
) -> Result<String, Failure> {
    let mut path = format!(
        "/api/boards/{board}/export?format={}&scope={}",
        format.id,
        scope.as_str()
    );
    if let Some(s) = snapshot {
        path.push_str("&snapshot=");
        path.push_str(s);
    }
    let what = format!("The {} could not be made", format.name);
    let resp = api::exchange("GET", &path, Some(token), api::NO_BODY, &what).await?;
    save(resp, &format!("coboard-plan.{}", format.ext), &what).await
}

/// Hands a fetched file to the browser as a download (the token travels in a header, so a
/// plain link could not fetch it); answers the file name, from the response's
/// `Content-Disposition` or else `fallback`.
pub async fn save(resp: web_sys::Response, fallback: &str, what: &str) -> Result<String, Failure> {
    let failed = || Failure::here(format!("{what}. Please try again."));
    let name = resp
        .headers()
        .get("content-disposition")
        .ok()
        .flatten()
        .and_then(|d| file_name(&d))
        .unwrap_or_else(|| fallback.to_owned());
    let blob: web_sys::Blob = JsFuture::from(resp.blob().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?
        .dyn_into()
        .map_err(|_| failed())?;
    save_blob(&blob, &name).map_err(|()| failed())?;
    Ok(name)
}

/// Hands text made in the page to the browser as a download named `name`.
pub fn save_text(text: &str, name: &str, mime: &str) -> Result<(), Failure> {
    let failed = || Failure::here("The file could not be made. Please try again.".to_owned());
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| failed())?;
    save_blob(&blob, name).map_err(|()| failed())
}

/// Clicks a hidden `<a download>` pointing at the blob.
fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), ()> {
    let url = Url::create_object_url_with_blob(blob).map_err(drop)?;
    let link: HtmlAnchorElement = document()
        .create_element("a")
        .map_err(drop)?
        .dyn_into()
        .map_err(drop)?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    if let Some(body) = document().body() {
        let _ = body.append_child(&link);
    }
    link.click();
    link.remove();
    // Revoking at once can cancel the download in some browsers; a minute is plenty.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        Duration::from_secs(60),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn reads_the_file_name() {
        assert_eq!(
            file_name("attachment; filename=\"plan.pdf\"").as_deref(),
            Some("plan.pdf")
        );
        assert_eq!(
            file_name("attachment; filename=a.csv").as_deref(),
            Some("a.csv")
        );
        assert_eq!(
            file_name("attachment; filename=\"../x/y.md\"").as_deref(),
            Some("y.md")
        );
        assert_eq!(file_name("attachment"), None);
    }
}
