#![allow(dead_code)]
use chrono::NaiveDate;
use standing_schemes::{Registry, Scheme, SchemeId};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

pub fn scheme(id: SchemeId, on: NaiveDate) -> &'static Scheme {
    Registry::builtin()
        .expect("builtin definitions load")
        .in_force(id, on)
        .expect("a version in force")
}
