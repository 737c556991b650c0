//! Public lists served three ways from one route: `/v1/<list>` (JSON), `/v1/<list>.html`
//! (a page that reads on a phone: below 40rem each row is a card of labelled fields) and
//! `/v1/<list>.csv` (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read
//! Chinese). The ratings of a scheme and the approved suspensions of alarm operators use
//! it.

use crate::respond::{build, escape_html};
use lambda_http::http::header::CONTENT_DISPOSITION;
use lambda_http::{Body, Response};

/// How a list is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    Csv,
}

/// The list's name and the format its suffix asks for (`om-stars.csv` → `om-stars`, CSV).
pub fn split_format(name: &str) -> (&str, Format) {
    match name.rsplit_once('.') {
        Some((stem, "html")) => (stem, Format::Html),
        Some((stem, "csv")) => (stem, Format::Csv),
        _ => (name, Format::Json),
    }
}

/// One cell of a row: text (escaped in HTML, as is in CSV), optionally a link, and
/// whether a wide table may wrap it (prose may; dates, codes and levels may not, or a
/// date breaks at its hyphens and 三星级 after two characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub wraps: bool,
}

impl Cell {
    /// A short value kept on one line: a date, a code, a level, a score.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            href: None,
            wraps: false,
        }
    }

    /// Prose that may wrap: a name, a plan, a conduct's title.
    pub fn prose(text: impl Into<String>) -> Cell {
        Cell {
            wraps: true,
            ..Cell::text(text)
        }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            href: Some(href.into()),
            ..Cell::text(text)
        }
    }
}

/// The HTML page of a list: a title, a line under it, and a table whose rows become
/// labelled cards on a phone.
pub fn page(title: &str, intro: &str, headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let body = if rows.is_empty() {
        "<p>暂无。</p>".to_owned()
    } else {
        let head: String = headers
            .iter()
            .map(|h| format!("<th>{}</th>", escape_html(h)))
            .collect();
        let rows: String = rows
            .iter()
            .map(|row| {
                let cells: String = row
                    .iter()
                    .zip(headers)
                    .map(|(c, h)| {
                        let text = escape_html(&c.text);
                        let inner = match &c.href {
                            Some(href) => format!("<a href=\"{}\">{text}</a>", escape_html(href)),
                            None => text,
                        };
                        let class = if c.wraps { "" } else { " class=\"n\"" };
                        format!("<td{class} data-label=\"{}\">{inner}</td>", escape_html(h))
                    })
                    .collect();
                format!("<tr>{cells}</tr>")
            })
            .collect();
        format!("<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    };
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #999;padding:.3rem .5rem;text-align:left}}td.n{{white-space:nowrap}}@media (max-width:40rem){{thead{{display:none}}table,tbody,tr,td{{display:block;width:auto}}tr{{border:1px solid #999;margin:0 0 .75rem;padding:.25rem .5rem}}td{{border:none;padding:.15rem 0}}td.n{{white-space:normal;overflow-wrap:anywhere}}td::before{{content:attr(data-label) \"：\";color:#555}}}}</style></head><body><h1>{t}</h1><p>{a}</p>{body}</body></html>",
        t = escape_html(title),
        a = escape_html(intro),
    )
}

/// The CSV text of a list: a header row, then one row per entry, CRLF line ends; fields
/// with a comma, quote or line break quoted.
pub fn csv(headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(
        &headers
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in rows {
        out.push_str(
            &row.iter()
                .map(|c| field(&c.text))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// A CSV download named `file_stem.csv`.
pub fn csv_response(file_stem: &str, text: String) -> Response<Body> {
    let mut r = build(200, "text/csv; charset=utf-8", Body::Text(text));
    if let Ok(v) = format!("attachment; filename=\"{file_stem}.csv\"").parse() {
        r.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must_and_pages_escape_and_label_cells() {
        let rows = vec![vec![
            Cell::prose("丙,\"公司\""),
            Cell::link("<a>", "/x?a=1&b=2"),
        ]];
        let text = csv(&["单位名称", "证书"], &rows);
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"丙,\"\"公司\"\"\",<a>\r\n"), "{text}");
        let html = page("名录", "说明", &["单位名称", "证书"], &rows);
        assert!(
            html.contains(
                "<td class=\"n\" data-label=\"证书\"><a href=\"/x?a=1&amp;b=2\">&lt;a&gt;</a></td>"
            ),
            "{html}"
        );
        // Prose may wrap; short values stay on one line in a wide table.
        assert!(
            html.contains("<td data-label=\"单位名称\">丙,&quot;公司&quot;</td>"),
            "{html}"
        );
        assert!(page("名录", "", &["a"], &[]).contains("暂无"));
        assert_eq!(split_format("om-stars.csv"), ("om-stars", Format::Csv));
        assert_eq!(split_format("om-stars"), ("om-stars", Format::Json));
    }
}
