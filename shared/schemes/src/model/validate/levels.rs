//! Levels: each code once, each band non-empty; in a scored scheme the levels are listed
//! highest first and touch without gap or overlap.

use std::collections::BTreeSet;

use crate::load::LoadError;
use crate::model::{Dec, Scheme, SchemeKind};

use super::V;

impl Scheme {
    /// The level codes, for the groups that name them.
    pub(super) fn validate_levels(&self, v: &V<'_>) -> Result<BTreeSet<&str>, LoadError> {
        let kind = self.scheme.id.kind();
        let mut codes = BTreeSet::new();
        for (i, l) in self.levels.iter().enumerate() {
            let path = format!("levels[{i}]");
            v.seed(&format!("{path}.seed"), &l.seed)?;
            if !codes.insert(l.code.as_str()) {
                return Err(v.err(
                    format!("{path}.code"),
                    format!("level {} is defined twice", l.code),
                ));
            }
            for (j, ms) in l.measures.iter().enumerate() {
                v.seed(&format!("{path}.measures[{j}].seed"), &ms.seed)?;
            }
            if let (Some(lo), Some(hi)) = (l.min, l.max)
                && (lo > hi || (lo == hi && !(l.min_inclusive && l.max_inclusive)))
            {
                return Err(v.err(format!("{path}.max"), "the band is empty (max below min)"));
            }
        }
        if matches!(kind, SchemeKind::Points | SchemeKind::Credit) {
            if self.levels.is_empty() {
                return Err(v.err("levels", "a scored scheme needs levels"));
            }
            for (i, w) in self.levels.windows(2).enumerate() {
                let (hi, lo) = (&w[0], &w[1]);
                let path = format!("levels[{}]", i + 1);
                let Some(Dec(hi_min)) = hi.min else {
                    return Err(v.err(
                        format!("levels[{i}].min"),
                        "only the lowest level may be unbounded below",
                    ));
                };
                match lo.max {
                    None => {
                        if let Some(Dec(lo_min)) = lo.min
                            && lo_min >= hi_min
                        {
                            return Err(v.err(
                                format!("{path}.min"),
                                format!(
                                    "levels must be listed highest first: {} is not below {hi_min}",
                                    lo_min
                                ),
                            ));
                        }
                        if lo.min.is_none() {
                            return Err(v.err(
                                format!("{path}.max"),
                                "an unbounded level below another needs a max",
                            ));
                        }
                    }
                    Some(Dec(lo_max)) => {
                        if lo_max != hi_min {
                            return Err(v.err(
                                format!("{path}.max"),
                                format!(
                                    "levels must touch: max {lo_max} differs from the min {hi_min} of level {}",
                                    hi.code
                                ),
                            ));
                        }
                        if lo.max_inclusive == hi.min_inclusive {
                            return Err(v.err(
                                format!("{path}.max_inclusive"),
                                format!(
                                    "levels {} and {} {} at {hi_min}",
                                    hi.code,
                                    lo.code,
                                    if hi.min_inclusive {
                                        "overlap"
                                    } else {
                                        "leave a gap"
                                    }
                                ),
                            ));
                        }
                    }
                }
            }
            if let Some(l) = self.levels.first()
                && l.max.is_some()
            {
                return Err(v.err("levels[0].max", "the highest level must be unbounded above"));
            }
        }
        Ok(codes)
    }
}
