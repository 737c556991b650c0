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

/// Membership of an association (the capability grade and the awards require it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The association's id, e.g. `nmg-security-association`.
    pub association: String,
    pub since: NaiveDate,
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
    pub memberships: Vec<Membership>,
    pub registered_at: DateTime<Utc>,
    pub registered_by: Actor,
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

    pub fn public_view(&self) -> PublicOrganization<'_> {
        PublicOrganization {
            code: &self.code,
            name: &self.name,
            established_on: self.established_on,
        }
    }

    /// Whole years of continuous membership of `association` on `on`, if a member.
    pub fn membership_years(&self, association: &str, on: NaiveDate) -> Option<u32> {
        self.memberships
            .iter()
            .find(|m| m.association == association && m.since <= on)
            .map(|m| on.years_since(m.since).unwrap_or(0))
    }
}

const MAX_MEMBERSHIPS: usize = 50;

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
            "memberships",
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

    let mut memberships: Vec<Membership> = Vec::new();
    for m in root.objects("memberships", MAX_MEMBERSHIPS, &mut errors) {
        m.deny_unknown(&["association", "since"], &mut errors);
        let association = m.text("association", 1, 64, &mut errors);
        let since = m.date("since", &mut errors);
        if let Some(since) = since {
            if since > today {
                errors.push(m.path_of("since"), "入会日期不能晚于今天");
            } else if established_on.is_some_and(|e| since < e) {
                errors.push(m.path_of("since"), "入会日期不能早于单位成立日期");
            }
        }
        if !association.is_empty() && memberships.iter().any(|x| x.association == association) {
            errors.push(m.path_of("association"), "同一协会的会员资格重复");
        }
        if let Some(since) = since {
            memberships.push(Membership { association, since });
        }
    }

    if !errors.is_empty() {
        return Err(errors.finish(|| ()).unwrap_err());
    }
    let (Some(code), Some(established_on)) = (code, established_on) else {
        return Err(Problem::internal());
    };

    // Authorization needs the code, so it comes after parsing it; nothing is written
    // before both pass.
    caller.may_act_for_company(&code)?;
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
        memberships,
        registered_at: now,
        registered_by: Actor::from(caller),
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
            "established_on": "2015-03-02",
            "memberships": [{"association": "nmg-security-association", "since": "2019-01-01"}]
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
        assert_eq!(
            org.membership_years(
                "nmg-security-association",
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            ),
            Some(7)
        );
    }

    #[test]
    fn every_failing_field_is_named() {
        let mut b = body();
        b["name"] = json!(5);
        b["contact"]["phone"] = json!("call me");
        b["memberships"][0]["since"] = json!("2019-13-01");
        b["extra"] = json!(true);
        let p = register(&b, &staff(), now()).unwrap_err();
        assert_eq!(p.status(), 422);
        let fields: Vec<_> = p.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"name"), "{fields:?}");
        assert!(fields.contains(&"contact.phone"), "{fields:?}");
        assert!(fields.contains(&"memberships[0].since"), "{fields:?}");
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
