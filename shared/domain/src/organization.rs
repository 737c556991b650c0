//! Organizations: the companies Standing grades, rates and certifies, known by their
//! unified social credit code. Registration is decided here; storing is the adapter's.

use crate::audit::{Actor, AuditEvent};
use crate::auth::Principal;
use crate::ids::{CreditCode, CreditCodeError, PersonIdNumber};
use crate::input::{Errors, Reader};
use crate::problem::Problem;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalRepresentative {
    pub name: String,
    /// GB 11643 number, masked (`110105********002X`); the clear number is never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number_masked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A registered company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub code: CreditCode,
    /// False only for a pilot-period code that fails the GB 32100 checksum and was
    /// registered by authority staff.
    pub code_checksum_valid: bool,
    pub name: String,
    pub address: String,
    pub legal_representative: LegalRepresentative,
    pub contact: Contact,
    pub established_on: NaiveDate,
    pub registered_at: DateTime<Utc>,
    /// Who registered the record: the company's own account, or staff on its behalf.
    pub registered_by: Actor,
    /// When the company's own account took over a record that staff registered on
    /// its behalf (see [`claim`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_at: Option<DateTime<Utc>>,
    /// Optimistic-locking version, 1 on creation.
    pub version: u64,
}

/// What anyone may see of a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicOrganization<'a> {
    pub code: &'a CreditCode,
    pub name: &'a str,
    pub established_on: NaiveDate,
}

impl Organization {
    pub fn entity(&self) -> String {
        format!("organization/{}", self.code)
    }

    /// May staff of `authority` read this company's record and the lists of its
    /// records? Only when their authority deals with it: it registered the record for the
    /// company (until the company claims it), or keeps a record of it (`kept_by` lists the authorities of the company's
    /// memberships, applications and certificates). Staff of an authority that has no
    /// dealings with a company see nothing of it but its public pages.
    pub fn known_to(&self, authority: &str, kept_by: &[&str]) -> bool {
        let registered_it =
            self.claimed_at.is_none() && self.registered_by.authority.as_deref() == Some(authority);
        registered_it || kept_by.contains(&authority)
    }

    pub fn public_view(&self) -> PublicOrganization<'_> {
        PublicOrganization {
            code: &self.code,
            name: &self.name,
            established_on: self.established_on,
        }
    }
}

/// Company-name search (access pattern 60): a name is found by any part of it, without
/// a Scan, through one index item per suffix of the normalized name. A query matches
/// the suffixes that begin with it, so "安防" finds "内蒙古某某安防有限公司".
pub mod name_search {
    /// Suffixes indexed per name: the ones starting at the first 40 characters (a
    /// registration stays one transaction of at most 42 items; a rename deletes and
    /// creates at most 80 more, under DynamoDB's 100).
    pub const MAX_SUFFIXES: usize = 40;
    /// Characters of a suffix (and of a query) the index compares.
    pub const KEY_CHARS: usize = 20;
    /// Shortest query, in characters.
    pub const MIN_QUERY_CHARS: usize = 2;
    /// Longest query, in characters.
    pub const MAX_QUERY_CHARS: usize = 60;

    /// The form names are compared in: no whitespace, full-width ASCII and brackets
    /// as half-width, Latin letters upper case.
    pub fn normalize(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
                '【' => '[',
                '】' => ']',
                other => other,
            })
            .flat_map(char::to_uppercase)
            .collect()
    }

    /// The index keys of a name: each suffix of at least two characters, starting at
    /// one of the first [`MAX_SUFFIXES`] characters, cut to [`KEY_CHARS`]; no duplicates.
    pub fn suffixes(name: &str) -> Vec<String> {
        let chars: Vec<char> = normalize(name).chars().collect();
        let mut out: Vec<String> = Vec::new();
        for start in 0..chars.len().saturating_sub(1).min(MAX_SUFFIXES) {
            let key: String = chars[start..].iter().take(KEY_CHARS).collect();
            if !out.contains(&key) {
                out.push(key);
            }
        }
        out
    }

    /// The index key a query looks up (its first [`KEY_CHARS`] normalized characters),
    /// or `None` when the query is shorter than [`MIN_QUERY_CHARS`] or longer than
    /// [`MAX_QUERY_CHARS`].
    pub fn query_key(query: &str) -> Option<String> {
        let n = normalize(query);
        let count = n.chars().count();
        if !(MIN_QUERY_CHARS..=MAX_QUERY_CHARS).contains(&count) {
            return None;
        }
        Some(n.chars().take(KEY_CHARS).collect())
    }

    /// Does `name` contain the whole `query` (for queries longer than the key)?
    pub fn matches(name: &str, query: &str) -> bool {
        normalize(name).contains(&normalize(query))
    }
}

fn valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '(' | ')'))
        && (7..=20).contains(&digits)
}

fn valid_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Register a company from an untrusted JSON body.
///
/// Decides everything that can be decided without storage: field validation, the
/// credit code (with the legacy rule), and whether the caller may register this
/// company. The store then creates it only if absent (409 otherwise).
pub fn register(
    body: &serde_json::Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Organization, AuditEvent), Problem> {
    let today = crate::clock::china_date(now);
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &[
            "code",
            "name",
            "address",
            "legal_representative",
            "contact",
            "established_on",
            "legacy_code",
        ],
        &mut errors,
    );
    let legacy = root.flag("legacy_code", &mut errors);
    let raw_code = root.text("code", 1, 64, &mut errors);
    let code = if raw_code.is_empty() {
        None
    } else {
        let parsed = if legacy {
            CreditCode::parse_legacy(&raw_code)
        } else {
            CreditCode::parse(&raw_code)
        };
        match parsed {
            Ok(c) => Some(c),
            Err(e @ CreditCodeError::CheckCharacter { .. }) => {
                errors.push(
                    "code",
                    format!(
                        "{e}；如为试点期间赋码的历史代码，请由主管机构工作人员以 legacy_code 登记"
                    ),
                );
                None
            }
            Err(e) => {
                errors.push("code", e.to_string());
                None
            }
        }
    };
    let name = root.text("name", 2, 100, &mut errors);
    let address = root.text("address", 2, 200, &mut errors);

    let mut representative = LegalRepresentative {
        name: String::new(),
        id_number_masked: None,
    };
    if let Some(r) = root.object("legal_representative", &mut errors) {
        r.deny_unknown(&["name", "id_number"], &mut errors);
        representative.name = r.text("name", 1, 50, &mut errors);
        if let Some(id) = r.optional_text("id_number", 1, 32, &mut errors) {
            match PersonIdNumber::parse(&id) {
                Ok(id) => representative.id_number_masked = Some(id.masked()),
                Err(e) => errors.push(r.path_of("id_number"), e.to_string()),
            }
        }
    }

    let mut contact = Contact {
        name: String::new(),
        phone: String::new(),
        email: None,
    };
    if let Some(c) = root.object("contact", &mut errors) {
        c.deny_unknown(&["name", "phone", "email"], &mut errors);
        contact.name = c.text("name", 1, 50, &mut errors);
        contact.phone = c.text("phone", 7, 20, &mut errors);
        if !contact.phone.is_empty() && !valid_phone(&contact.phone) {
            errors.push(
                c.path_of("phone"),
                "电话号码格式错误（仅限数字、空格、+、-、括号，7至20位数字）",
            );
        }
        contact.email = c.optional_text("email", 3, 254, &mut errors);
        if let Some(email) = &contact.email
            && !valid_email(email)
        {
            errors.push(c.path_of("email"), "电子邮箱格式错误");
        }
    }

    let established_on = root.date("established_on", &mut errors);
    if let Some(d) = established_on
        && d > today
    {
        errors.push("established_on", "成立日期不能晚于今天");
    }

    if !errors.is_empty() {
        return Err(errors.finish(|| ()).unwrap_err());
    }
    let (Some(code), Some(established_on)) = (code, established_on) else {
        return Err(Problem::internal());
    };

    // Authorization needs the code, so it comes after parsing it; nothing is written
    // before both pass.
    caller.may_register(&code)?;
    if legacy && !caller.is_staff() {
        return Err(caller.deny("历史代码（未通过校验码检查）仅可由主管机构工作人员登记"));
    }

    let checksum_valid = code.checksum_valid();
    let organization = Organization {
        code,
        code_checksum_valid: checksum_valid,
        name,
        address,
        legal_representative: representative,
        contact,
        established_on,
        registered_at: now,
        registered_by: Actor::from(caller),
        claimed_at: None,
        version: 1,
    };
    let audit = AuditEvent::new(
        now,
        Actor::from(caller),
        "organization.registered",
        organization.entity(),
        None,
        serde_json::to_value(&organization).ok(),
    );
    Ok((organization, audit))
}

/// The company's own registration of a code that staff registered on its behalf.
///
/// Staff may register a company (a legacy code, a company that is not online yet), but
/// that must not pre-empt the company: its own account, registering its own code, takes
/// the record over once, replacing the registry data with what it declares. A record
/// the company registered or already claimed stays taken (409).
pub fn claim(
    existing: &Organization,
    registration: Organization,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Organization, AuditEvent), Problem> {
    let taken = || {
        Problem::field(
            crate::problem::ProblemKind::Conflict,
            "code",
            format!("统一社会信用代码 {} 已登记", existing.code),
        )
    };
    match caller {
        Principal::Applicant { org, .. } if *org == existing.code => {}
        _ => return Err(taken()),
    }
    if existing.registered_by.role != "staff" || existing.claimed_at.is_some() {
        return Err(taken());
    }
    let next = Organization {
        code: existing.code.clone(),
        code_checksum_valid: existing.code_checksum_valid,
        registered_at: existing.registered_at,
        registered_by: existing.registered_by.clone(),
        claimed_at: Some(now),
        version: existing.version + 1,
        ..registration
    };
    let audit = AuditEvent::new(
        now,
        Actor::from(caller),
        "organization.claimed",
        next.entity(),
        serde_json::to_value(existing).ok(),
        serde_json::to_value(&next).ok(),
    );
    Ok((next, audit))
}

#[cfg(test)]
mod name_search_tests {
    use super::name_search::*;

    #[test]
    fn every_part_of_a_name_is_found_by_a_prefix_of_one_suffix() {
        let keys = suffixes("内蒙古 某某安防（集团）有限公司");
        for query in ["内蒙古", "安防", "某某安防(集团)", "有限公司", "（集团）"]
        {
            let key = query_key(query).unwrap();
            assert!(keys.iter().any(|k| k.starts_with(&key)), "{query}");
        }
        assert!(!keys.iter().any(|k| k.starts_with("消防")));
        assert!(keys.iter().all(|k| k.chars().count() >= 2));
    }

    #[test]
    fn queries_and_names_are_compared_normalized_and_bounded() {
        assert_eq!(normalize("ａｂｃ Ｄ（１）"), "ABCD(1)");
        assert_eq!(query_key("安"), None);
        assert_eq!(query_key(&"安".repeat(61)), None);
        assert_eq!(
            query_key(&"安".repeat(30)).unwrap().chars().count(),
            KEY_CHARS
        );
        let long = "甲".repeat(100);
        assert!(suffixes(&long).len() <= MAX_SUFFIXES);
        assert!(matches("北京某某科技有限公司", "某某 科技"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    const CODE: &str = "91110108551385082Q";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 4, 0, 0).unwrap()
    }

    fn staff() -> Principal {
        Principal::Staff {
            subject: "clerk".into(),
            authority: "nmg-security-association".into(),
        }
    }

    fn body() -> serde_json::Value {
        json!({
            "code": CODE,
            "name": "内蒙古安全防范技术有限公司",
            "address": "呼和浩特市新城区新华大街1号",
            "legal_representative": {"name": "张三", "id_number": "11010519491231002X"},
            "contact": {"name": "李四", "phone": "0471-1234567", "email": "li@example.cn"},
            "established_on": "2015-03-02"
        })
    }

    #[test]
    fn a_complete_body_registers() {
        let (org, audit) = register(&body(), &staff(), now()).unwrap();
        assert_eq!(org.code.as_str(), CODE);
        assert_eq!(
            org.legal_representative.id_number_masked.as_deref(),
            Some("110105********002X")
        );
        assert_eq!(audit.action, "organization.registered");
        assert!(
            !serde_json::to_string(&audit)
                .unwrap()
                .contains("11010519491231002X")
        );
    }

    #[test]
    fn staff_see_only_companies_their_authority_deals_with() {
        let (org, _) = register(&body(), &staff(), now()).unwrap();
        assert!(org.known_to("nmg-security-association", &[]));
        assert!(!org.known_to("bj-security-association", &[]));
        assert!(org.known_to("bj-security-association", &["bj-security-association"]));
    }

    #[test]
    fn memberships_are_not_declared_at_registration() {
        let mut b = body();
        b["memberships"] =
            json!([{"association": "nmg-security-association", "since": "2019-01-01"}]);
        let p = register(&b, &staff(), now()).unwrap_err();
        assert_eq!(p.field.as_deref(), Some("memberships"));
    }

    #[test]
    fn the_company_claims_a_record_staff_registered_once() {
        let (by_staff, _) = register(&body(), &staff(), now()).unwrap();
        let company = Principal::Applicant {
            subject: "owner".into(),
            org: by_staff.code.clone(),
        };
        let mut own = body();
        own["name"] = json!("内蒙古安全防范技术股份有限公司");
        let (declared, _) = register(&own, &company, now()).unwrap();
        let (claimed, audit) = claim(&by_staff, declared.clone(), &company, now()).unwrap();
        assert_eq!(claimed.name, "内蒙古安全防范技术股份有限公司");
        assert_eq!(claimed.version, 2);
        assert_eq!(claimed.registered_by.role, "staff");
        assert!(claimed.claimed_at.is_some());
        assert_eq!(audit.action, "organization.claimed");
        // Once claimed, or registered by the company itself, the code is taken.
        assert_eq!(
            claim(&claimed, declared.clone(), &company, now())
                .unwrap_err()
                .status(),
            409
        );
        assert_eq!(
            claim(&declared, declared.clone(), &company, now())
                .unwrap_err()
                .status(),
            409
        );
        // Other staff cannot "claim" it.
        assert_eq!(
            claim(&by_staff, declared, &staff(), now())
                .unwrap_err()
                .status(),
            409
        );
    }

    #[test]
    fn every_failing_field_is_named() {
        let mut b = body();
        b["name"] = json!(5);
        b["contact"]["phone"] = json!("call me");
        b["extra"] = json!(true);
        let p = register(&b, &staff(), now()).unwrap_err();
        assert_eq!(p.status(), 422);
        let fields: Vec<_> = p.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"name"), "{fields:?}");
        assert!(fields.contains(&"contact.phone"), "{fields:?}");
        assert!(fields.contains(&"extra"), "{fields:?}");
    }

    #[test]
    fn missing_fields_are_named() {
        for f in [
            "code",
            "name",
            "address",
            "legal_representative",
            "contact",
            "established_on",
        ] {
            let mut b = body();
            b.as_object_mut().unwrap().remove(f);
            let p = register(&b, &staff(), now()).unwrap_err();
            assert_eq!(p.field.as_deref(), Some(f));
        }
    }

    #[test]
    fn legacy_codes_only_by_staff() {
        let mut b = body();
        b["code"] = json!("91110108551385082A");
        assert_eq!(
            register(&b, &staff(), now()).unwrap_err().field.as_deref(),
            Some("code")
        );
        b["legacy_code"] = json!(true);
        let (org, _) = register(&b, &staff(), now()).unwrap();
        assert!(!org.code_checksum_valid);
        let applicant = Principal::Applicant {
            subject: "a".into(),
            org: CreditCode::parse_legacy("91110108551385082A").unwrap(),
        };
        assert_eq!(register(&b, &applicant, now()).unwrap_err().status(), 403);
    }

    #[test]
    fn future_dates_are_refused() {
        let mut b = body();
        b["established_on"] = json!("2027-01-01");
        assert_eq!(
            register(&b, &staff(), now()).unwrap_err().field.as_deref(),
            Some("established_on")
        );
    }
}
