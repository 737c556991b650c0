//! What each kind of scheme needs besides its rules: the point table, the conduct
//! table, tier groups, categories or conditions.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::load::LoadError;
use crate::model::{Dec, Direction, GroupRole, Scheme, SchemeKind};

use super::V;

impl Scheme {
    pub(super) fn validate_kind(&self, v: &V<'_>) -> Result<(), LoadError> {
        let kind = self.scheme.id.kind();
        let has_role = |r: GroupRole| self.groups.iter().any(|g| g.role == r);
        match kind {
            SchemeKind::Points => {
                let Some(p) = &self.points else {
                    return Err(v.err("points", "the capability grade needs a point table"));
                };
                v.default_note("points", p.default, &p.note)?;
                let mut item_ids = BTreeSet::new();
                let mut total = Decimal::ZERO;
                for (ai, a) in p.areas.iter().enumerate() {
                    let ap = format!("points.areas[{ai}]");
                    v.seed(&format!("{ap}.seed"), &a.seed)?;
                    if a.max.0 <= Decimal::ZERO {
                        return Err(v.err(format!("{ap}.max"), "must be positive"));
                    }
                    if a.items.is_empty() {
                        return Err(v.err(format!("{ap}.items"), "an area needs at least one item"));
                    }
                    for (ii, it) in a.items.iter().enumerate() {
                        let ip = format!("{ap}.items[{ii}]");
                        if !item_ids.insert(it.id.as_str()) {
                            return Err(v.err(
                                format!("{ip}.id"),
                                format!("item {} is defined twice", it.id),
                            ));
                        }
                        if it.max.0 <= Decimal::ZERO || it.points_per_unit.0 <= Decimal::ZERO {
                            return Err(
                                v.err(format!("{ip}.max"), "points and max must be positive")
                            );
                        }
                        if it.max.0 > a.max.0 {
                            return Err(v.err(
                                format!("{ip}.max"),
                                format!("item max {} exceeds its area max {}", it.max.0, a.max.0),
                            ));
                        }
                    }
                    total += a.max.0;
                }
                if let Some(Dec(top)) = self.levels.first().and_then(|l| l.min)
                    && total < top
                {
                    return Err(v.err(
                        "points.areas",
                        format!("the areas' maxima add up to {total}, so level {} ({top}) is unreachable", self.levels[0].code),
                    ));
                }
                if !has_role(GroupRole::Eligibility) {
                    return Err(v.err(
                        "groups",
                        "the capability grade needs its eligibility conditions",
                    ));
                }
                if self.revocation_grounds.is_empty() {
                    return Err(v.err(
                        "revocation_grounds",
                        "the revocation grounds must be listed",
                    ));
                }
            }
            SchemeKind::Credit => {
                let Some(c) = &self.credit else {
                    return Err(v.err("credit", "the credit scheme needs a conduct table"));
                };
                v.seed("credit.seed", &c.seed)?;
                let mut cc = BTreeSet::new();
                for (ci, k) in c.conduct.iter().enumerate() {
                    let kp = format!("credit.conduct[{ci}]");
                    if !cc.insert(k.code.as_str()) {
                        return Err(v.err(
                            format!("{kp}.code"),
                            format!("conduct {} is defined twice", k.code),
                        ));
                    }
                    v.seed(&format!("{kp}.seed"), &k.seed)?;
                    v.default_note(&kp, k.default, &k.note)?;
                    if k.points.0 <= Decimal::ZERO {
                        return Err(v.err(
                            format!("{kp}.points"),
                            "points are positive; direction gives the sign",
                        ));
                    }
                    if k.direction == Direction::Trustworthy && k.max_per_cycle.is_none() {
                        return Err(v.err(
                            format!("{kp}.max_per_cycle"),
                            "a trustworthy conduct kind needs a cap so the score stays bounded",
                        ));
                    }
                }
            }
            SchemeKind::Stars => {
                if !has_role(GroupRole::Tier) {
                    return Err(v.err("groups", "a star scheme needs tier groups"));
                }
                for l in &self.levels {
                    if !self
                        .groups
                        .iter()
                        .any(|g| g.level.as_deref() == Some(l.code.as_str()))
                    {
                        return Err(v.err("levels", format!("level {} has no tier group", l.code)));
                    }
                }
            }
            SchemeKind::Awards => {
                if !has_role(GroupRole::Category) {
                    return Err(v.err("groups", "an awards edition needs categories"));
                }
            }
            SchemeKind::Conditions => {
                if !has_role(GroupRole::Eligibility) {
                    return Err(v.err("groups", "an operator scheme needs conditions"));
                }
            }
        }
        Ok(())
    }
}
