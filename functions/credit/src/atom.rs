//! Atom feeds (RFC 4287) of the public credit lists: a level list, an A-list release,
//! and the list of A-list releases. Ids are `urn:` names that never change; links are
//! absolute under `PUBLIC_BASE_URL` when it is set (relative to the feed otherwise).

use chrono::{DateTime, Utc};
use lambda_http::http::header::CONTENT_TYPE;
use lambda_http::{Body, Response};
use standing_http::respond::escape_html;

/// The media type of a feed.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// One entry of a feed.
pub struct Entry {
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    /// The HTML page it is about (a path under `/v1`).
    pub link: String,
    pub summary: String,
}

/// A feed's own facts.
pub struct Feed<'a> {
    pub id: String,
    pub title: &'a str,
    pub author: &'a str,
    /// The feed's own path and its HTML page's.
    pub self_path: &'a str,
    pub html_path: &'a str,
    /// When the list last changed (the newest entry, or the release instant).
    pub updated: DateTime<Utc>,
}

/// `PUBLIC_BASE_URL` + `path`, or `path` alone.
fn href(path: &str) -> String {
    let base = std::env::var("PUBLIC_BASE_URL").unwrap_or_default();
    format!("{}{path}", base.trim_end_matches('/'))
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The feed's XML.
pub fn render(feed: &Feed<'_>, entries: &[Entry]) -> String {
    let e = escape_html;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    out.push_str(&format!(
        "  <id>{}</id>\n  <title>{}</title>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        e(&feed.id),
        e(feed.title),
        time(feed.updated),
        e(feed.author),
        e(&href(feed.self_path)),
        e(&href(feed.html_path)),
    ));
    for entry in entries {
        out.push_str(&format!(
            "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            e(&entry.id),
            e(&entry.title),
            time(entry.updated),
            e(&href(&entry.link)),
            e(&entry.summary),
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// The feed as a response.
pub fn response(xml: String) -> Response<Body> {
    let mut r = Response::new(Body::Text(xml));
    let h = r.headers_mut();
    if let Ok(v) = ATOM.parse() {
        h.insert(CONTENT_TYPE, v);
    }
    if let Ok(v) = "no-store".parse() {
        h.insert(lambda_http::http::header::CACHE_CONTROL, v);
    }
    if let Ok(v) = "nosniff".parse() {
        h.insert("x-content-type-options", v);
    }
    r
}
