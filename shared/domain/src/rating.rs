//! The public list of rated companies of a scheme whose approval puts a level on a list
//! (the star rating, seed 003 3.1): one record per company and scheme, written by the
//! approval, read by anyone as JSON, HTML or CSV. When the approval also issues a
//! certificate, the rating names it and leaves the list when the certificate expires.

use crate::application::Application;
use crate::audit::{Actor, AuditEvent};
use crate::certificate::CertificateRecord;
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use standing_schemes::{Scheme, SchemeId};

/// A company's current level in a scheme, as its latest approval gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub scheme: SchemeId,
    pub org: CreditCode,
    pub company_name: String,
    pub authority: String,
    pub level_code: String,
    pub level_label: String,
    /// The approved application that gave it.
    pub application: RecordId,
    pub approved_on: NaiveDate,
    /// The certificate of this level, when the scheme issues one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_serial: Option<String>,
    /// Last day the rating holds (its certificate's), when the scheme limits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl Rating {
    pub fn entity(&self) -> String {
        format!("rating/{}/{}", self.scheme, self.org)
    }

    /// On the public list on `today`: not past its validity.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        self.valid_until.is_none_or(|last| today <= last)
    }

    /// The rating an approved application gives (`None` without a level), replacing
    /// `before` (the company's earlier rating in the scheme), with the certificate the
    /// same approval issued, if any.
    pub fn from_approval(
        app: &Application,
        before: Option<&Rating>,
        certificate: Option<&CertificateRecord>,
        actor: Actor,
        now: DateTime<Utc>,
    ) -> Option<(Rating, AuditEvent)> {
        let result = app.result.as_ref()?;
        let r = Rating {
            scheme: app.scheme,
            org: app.org.clone(),
            company_name: app.company_name.clone(),
            authority: app.authority.clone(),
            level_code: result.level_code.clone()?,
            level_label: result.level_label.clone()?,
            application: app.id,
            approved_on: china_date(now),
            certificate_serial: certificate.map(|c| c.serial.clone()),
            valid_until: certificate.map(|c| c.valid_until),
            updated_at: now,
            version: before.map_or(1, |b| b.version + 1),
        };
        let audit = AuditEvent::new(
            now,
            actor,
            "rating.granted",
            r.entity(),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(&r).ok(),
        );
        Some((r, audit))
    }
}

/// The list as the public sees it: highest level first (the scheme's order), then by
/// company name.
pub fn public_order(scheme: &Scheme, ratings: &mut [Rating]) {
    let rank = |code: &str| {
        scheme
            .levels
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    };
    ratings.sort_by(|a, b| {
        rank(&a.level_code)
            .cmp(&rank(&b.level_code))
            .then_with(|| a.company_name.cmp(&b.company_name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(name: &str, level: &str) -> Rating {
        Rating {
            scheme: SchemeId::OmStars,
            org: CreditCode::parse("91110108551385082Q").unwrap(),
            company_name: name.into(),
            authority: "bj-security-association".into(),
            level_code: level.into(),
            level_label: format!("{level}星"),
            application: RecordId::new_at(Utc::now()),
            approved_on: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            certificate_serial: None,
            valid_until: None,
            updated_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn the_public_list_is_highest_level_first() {
        let registry = standing_schemes::Registry::builtin().unwrap();
        let scheme = registry
            .in_force(
                SchemeId::OmStars,
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            )
            .unwrap();
        let mut list = vec![
            rating("乙公司", "1"),
            rating("甲公司", "3"),
            rating("丙,\"公司\"", "1"),
        ];
        public_order(scheme, &mut list);
        let levels: Vec<&str> = list.iter().map(|r| r.level_code.as_str()).collect();
        assert_eq!(levels, ["3", "1", "1"]);
    }

    #[test]
    fn a_rating_leaves_the_list_after_its_last_valid_day() {
        let mut r = rating("甲公司", "3");
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        assert!(r.in_force(d(12, 31)), "no validity: listed until replaced");
        r.valid_until = Some(d(12, 9));
        assert!(r.in_force(d(12, 9)), "the last day is still valid");
        assert!(!r.in_force(d(12, 10)));
    }
}
