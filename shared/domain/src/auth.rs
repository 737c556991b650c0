//! Who is asking, from verified token claims, and what each role may do.
//!
//! Tokens are verified at the edge (API Gateway's JWT authorizer in AWS, the
//! development key locally); this module only reads the verified claims and decides.

use crate::ids::CreditCode;
use crate::problem::Problem;
use serde::{Deserialize, Serialize};

/// The claims Standing reads from a verified JWT.
///
/// `role` is one of `applicant`, `staff`, `expert`. An applicant's token carries the
/// credit code of the company it acts for (`org_code`); a staff token the authority it
/// works for (`authority`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub org_code: Option<String>,
    #[serde(default)]
    pub authority: Option<String>,
}

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Principal {
    /// Anyone, without a token.
    Public,
    /// A company's account, bound to its credit code.
    Applicant { subject: String, org: CreditCode },
    /// Authority staff (association secretariat, bureau, police office), bound to one
    /// authority.
    Staff { subject: String, authority: String },
    /// An expert panel member.
    Expert { subject: String },
}

impl Principal {
    /// Read verified claims. Claims that do not make a coherent principal (unknown
    /// role, applicant without a valid company code, staff without an authority) are
    /// refused as unauthenticated: the token is not one Standing issued.
    pub fn from_claims(claims: &Claims) -> Result<Principal, Problem> {
        let subject = claims.sub.trim();
        if subject.is_empty() {
            return Err(Problem::unauthenticated());
        }
        let subject = subject.to_owned();
        match claims.role.as_deref() {
            Some("applicant") => {
                let code = claims
                    .org_code
                    .as_deref()
                    .and_then(|c| CreditCode::parse_legacy(c).ok())
                    .ok_or_else(Problem::unauthenticated)?;
                Ok(Principal::Applicant { subject, org: code })
            }
            Some("staff") => match claims.authority.as_deref().map(str::trim) {
                Some(a) if !a.is_empty() => Ok(Principal::Staff {
                    subject,
                    authority: a.to_owned(),
                }),
                _ => Err(Problem::unauthenticated()),
            },
            Some("expert") => Ok(Principal::Expert { subject }),
            _ => Err(Problem::unauthenticated()),
        }
    }

    pub fn role_name(&self) -> &'static str {
        match self {
            Principal::Public => "public",
            Principal::Applicant { .. } => "applicant",
            Principal::Staff { .. } => "staff",
            Principal::Expert { .. } => "expert",
        }
    }

    pub fn subject(&self) -> Option<&str> {
        match self {
            Principal::Public => None,
            Principal::Applicant { subject, .. }
            | Principal::Staff { subject, .. }
            | Principal::Expert { subject } => Some(subject),
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self, Principal::Staff { .. })
    }

    /// Anonymous callers get 401 (log in and try again); everyone else 403.
    pub fn deny(&self, detail: &str) -> Problem {
        match self {
            Principal::Public => Problem::unauthenticated(),
            _ => Problem::forbidden(detail),
        }
    }

    /// May this caller read a company's registry record (name, address, contact)? The
    /// registry is shared by every authority of the platform (staff look a company up
    /// before they record a membership or an event), so staff of any authority and the
    /// company's own account may; the records each authority keeps about the company
    /// are guarded by [`Principal::holder_or_staff_of`].
    pub fn may_read_registry(&self, code: &CreditCode) -> Result<(), Problem> {
        match self {
            Principal::Staff { .. } => Ok(()),
            Principal::Applicant { org, .. } if org == code => Ok(()),
            _ => Err(self.deny("无权查看其他单位的非公开信息")),
        }
    }

    /// May this caller register a company in the platform's registry? Its own account
    /// may; staff may register it on its behalf (the company can later claim the
    /// record, see `organization::claim`).
    pub fn may_register(&self, code: &CreditCode) -> Result<(), Problem> {
        match self {
            Principal::Staff { .. } => Ok(()),
            Principal::Applicant { org, .. } if org == code => Ok(()),
            Principal::Applicant { .. } => {
                Err(self.deny("只能以本单位身份办理，令牌绑定的统一社会信用代码与请求不符"))
            }
            _ => Err(self.deny("该操作仅限申请单位或主管机构工作人员")),
        }
    }

    /// The one authorization rule for a record that belongs to company `org` and is
    /// kept by `authority` (an application, a certificate, a change request, a
    /// membership, a credit event): the company's own account (the holder), or staff of
    /// that authority. Staff of another authority get 403, other companies' accounts and
    /// experts 403, anonymous callers 401. Handlers that must not reveal whether a record
    /// exists map the 403 of other companies to 404 themselves.
    pub fn holder_or_staff_of(&self, org: &CreditCode, authority: &str) -> Result<Access, Problem> {
        match self {
            Principal::Applicant { org: own, .. } if own == org => Ok(Access::Holder),
            Principal::Staff { authority: a, .. } if a == authority => Ok(Access::Staff),
            Principal::Staff { .. } => {
                Err(self.deny("该记录属于其他主管机构，本机构工作人员无权办理"))
            }
            Principal::Applicant { .. } => {
                Err(self.deny("只能以本单位身份办理，令牌绑定的统一社会信用代码与请求不符"))
            }
            _ => Err(self.deny("该操作仅限本单位或主管机构工作人员")),
        }
    }

    /// Staff of `authority`, and nobody else: staff actions on a record that authority
    /// keeps (decisions, checks, revocations, memberships).
    pub fn staff_of(&self, authority: &str) -> Result<(), Problem> {
        match self {
            Principal::Staff { authority: a, .. } if a == authority => Ok(()),
            Principal::Staff { .. } => {
                Err(self.deny("该记录属于其他主管机构，本机构工作人员无权办理"))
            }
            _ => Err(self.deny("该操作仅限主管机构工作人员")),
        }
    }

    /// Staff of any authority; returns the authority. For actions whose record is the
    /// caller's own authority's by construction (its work queue, a membership it adds).
    pub fn require_staff(&self) -> Result<&str, Problem> {
        match self {
            Principal::Staff { authority, .. } => Ok(authority),
            _ => Err(self.deny("该操作仅限主管机构工作人员")),
        }
    }
}

/// How a caller reached a record through [`Principal::holder_or_staff_of`]: what it may
/// see of the record follows from this (holders see roles, not staff account ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The company's own account.
    Holder,
    /// Staff of the authority that keeps the record.
    Staff,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(role: &str) -> Claims {
        Claims {
            sub: "user-1".into(),
            role: Some(role.into()),
            org_code: None,
            authority: None,
        }
    }

    #[test]
    fn incoherent_claims_are_refused() {
        assert!(Principal::from_claims(&claims("applicant")).is_err());
        assert!(Principal::from_claims(&claims("staff")).is_err());
        assert!(Principal::from_claims(&claims("root")).is_err());
        let mut c = claims("expert");
        c.sub = " ".into();
        assert!(Principal::from_claims(&c).is_err());
        assert_eq!(
            Principal::from_claims(&claims("expert")).unwrap(),
            Principal::Expert {
                subject: "user-1".into()
            }
        );
    }

    #[test]
    fn applicants_act_only_for_their_own_company() {
        let own = CreditCode::parse("91110108551385082Q").unwrap();
        let other = CreditCode::parse("914403001922038216").unwrap();
        let applicant = Principal::Applicant {
            subject: "a".into(),
            org: own.clone(),
        };
        assert!(applicant.may_read_registry(&own).is_ok());
        assert_eq!(
            applicant.may_read_registry(&other).unwrap_err().status(),
            403
        );
        assert_eq!(
            Principal::Public
                .may_read_registry(&own)
                .unwrap_err()
                .status(),
            401
        );
        let expert = Principal::Expert {
            subject: "e".into(),
        };
        assert_eq!(expert.may_register(&own).unwrap_err().status(), 403);
        assert_eq!(
            expert
                .holder_or_staff_of(&own, "nmg-security-association")
                .unwrap_err()
                .status(),
            403
        );
    }

    #[test]
    fn staff_act_only_on_their_own_authoritys_records() {
        let code = CreditCode::parse("91110108551385082Q").unwrap();
        let ours = Principal::Staff {
            subject: "s".into(),
            authority: "nmg-security-association".into(),
        };
        let theirs = Principal::Staff {
            subject: "t".into(),
            authority: "bj-security-association".into(),
        };
        assert_eq!(
            ours.holder_or_staff_of(&code, "nmg-security-association"),
            Ok(Access::Staff)
        );
        assert_eq!(
            theirs
                .holder_or_staff_of(&code, "nmg-security-association")
                .unwrap_err()
                .status(),
            403
        );
        assert!(ours.staff_of("nmg-security-association").is_ok());
        assert_eq!(
            theirs
                .staff_of("nmg-security-association")
                .unwrap_err()
                .status(),
            403
        );
        let holder = Principal::Applicant {
            subject: "a".into(),
            org: code.clone(),
        };
        assert_eq!(
            holder.holder_or_staff_of(&code, "nmg-security-association"),
            Ok(Access::Holder)
        );
        assert_eq!(
            holder
                .staff_of("nmg-security-association")
                .unwrap_err()
                .status(),
            403
        );
        assert_eq!(
            Principal::Public
                .holder_or_staff_of(&code, "nmg-security-association")
                .unwrap_err()
                .status(),
            401
        );
    }
}
