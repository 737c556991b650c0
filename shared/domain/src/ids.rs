//! Identifiers.
//!
//! - Companies are known by their unified social credit code (统一社会信用代码),
//!   GB 32100-2015: 18 characters from a 31-character alphabet, the last a check
//!   character computed modulo 31 over the first 17.
//! - Person identity numbers (公民身份号码), GB 11643-1999: 18 characters, the last a
//!   check digit computed ISO 7064 MOD 11-2. They are never stored in clear or logged:
//!   only [`PersonIdNumber::masked`] leaves this module.
//! - Records are identified by ULIDs ([`RecordId`]): sortable by creation time.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// GB 32100-2015 §4 alphabet: digits and the capital letters except I, O, Z, S, V.
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100-2015 §5.2: weight of position i is 3^i mod 31.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn uscc_value(c: u8) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Why a string is not a valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位，实际为{0}位")]
    WrongLength(usize),
    #[error("统一社会信用代码第{position}位含有不允许的字符“{character}”（不使用I、O、Z、S、V）")]
    BadCharacter { position: usize, character: char },
    #[error("统一社会信用代码第3至8位应为数字（登记管理机关行政区划码）")]
    BadAdministrativeDivision,
    #[error("统一社会信用代码校验码错误：应为“{expected}”，实际为“{actual}”")]
    CheckCharacter { expected: char, actual: char },
}

/// A unified social credit code (GB 32100-2015).
///
/// [`CreditCode::parse`] accepts only codes whose check character is right.
/// [`CreditCode::parse_legacy`] also accepts codes that are well formed but fail the
/// checksum: such codes were issued during the pilot period before the standard was
/// fixed and are still real. Only authority staff may register one (see
/// `docs/architecture.md`, "Legacy credit codes"), and the record carries the flag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code = Self::parse_legacy(input)?;
        let expected = Self::check_character(code.0.as_bytes());
        let actual = code.0.as_bytes()[17] as char;
        if expected != actual {
            return Err(CreditCodeError::CheckCharacter { expected, actual });
        }
        Ok(code)
    }

    /// Well formed (length, alphabet, division digits) but the check character is not
    /// verified.
    pub fn parse_legacy(input: &str) -> Result<Self, CreditCodeError> {
        let normalized = input.trim().to_ascii_uppercase();
        let count = normalized.chars().count();
        if count != 18 {
            return Err(CreditCodeError::WrongLength(count));
        }
        for (i, c) in normalized.chars().enumerate() {
            if !c.is_ascii() || uscc_value(c as u8).is_none() {
                return Err(CreditCodeError::BadCharacter {
                    position: i + 1,
                    character: c,
                });
            }
        }
        if !normalized.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err(CreditCodeError::BadAdministrativeDivision);
        }
        Ok(CreditCode(normalized))
    }

    /// The check character for the first 17 characters (which must be in the alphabet).
    pub fn check_character(code: &[u8]) -> char {
        let sum: u32 = code[..17]
            .iter()
            .zip(USCC_WEIGHTS)
            .map(|(&c, w)| uscc_value(c).unwrap_or(0) * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        USCC_ALPHABET[check as usize] as char
    }

    /// Whether the check character is right (false only for legacy codes).
    pub fn checksum_valid(&self) -> bool {
        Self::check_character(self.0.as_bytes()) == self.0.as_bytes()[17] as char
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse_legacy(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CreditCode::parse(s)
    }
}

/// Why a string is not a valid person identity number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonIdError {
    #[error("公民身份号码应为18位")]
    WrongLength,
    #[error("公民身份号码格式错误")]
    BadFormat,
    #[error("公民身份号码出生日期无效")]
    BadBirthDate,
    #[error("公民身份号码校验码错误")]
    CheckDigit,
}

/// A person identity number (GB 11643-1999). Holds the clear value only in memory, to
/// validate and mask it; `Debug` and `Display` print the masked form, so it cannot leak
/// into logs by accident, and it cannot be serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonIdNumber(String);

impl PersonIdNumber {
    pub fn parse(input: &str) -> Result<Self, PersonIdError> {
        let s = input.trim().to_ascii_uppercase();
        if s.len() != 18 || !s.is_ascii() {
            return Err(PersonIdError::WrongLength);
        }
        let b = s.as_bytes();
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(PersonIdError::BadFormat);
        }
        let (y, m, d) = (&s[6..10], &s[10..12], &s[12..14]);
        let date = chrono::NaiveDate::from_ymd_opt(
            y.parse().map_err(|_| PersonIdError::BadBirthDate)?,
            m.parse().map_err(|_| PersonIdError::BadBirthDate)?,
            d.parse().map_err(|_| PersonIdError::BadBirthDate)?,
        );
        if date.is_none() {
            return Err(PersonIdError::BadBirthDate);
        }
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const C: &[u8; 11] = b"10X98765432";
        let sum: u32 = b[..17]
            .iter()
            .zip(W)
            .map(|(&c, w)| (c - b'0') as u32 * w)
            .sum();
        if C[(sum % 11) as usize] != b[17] {
            return Err(PersonIdError::CheckDigit);
        }
        Ok(PersonIdNumber(s))
    }

    /// First six and last four characters, the rest starred: `110101********123X`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Debug for PersonIdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonIdNumber({})", self.masked())
    }
}

impl fmt::Display for PersonIdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// A record identifier: a ULID, sortable by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub ulid::Ulid);

impl RecordId {
    /// A new id for an instant (the clock's, so tests are reproducible in order).
    /// Ids made in one process are strictly increasing, also within one millisecond
    /// (and when a test clock goes back): audit trails sort in the order events
    /// happened.
    pub fn new_at(at: chrono::DateTime<chrono::Utc>) -> Self {
        static GENERATOR: std::sync::Mutex<Option<ulid::Generator>> = std::sync::Mutex::new(None);
        let mut guard = GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
        let generator = guard.get_or_insert_with(ulid::Generator::new);
        match generator.generate_from_datetime(at.into()) {
            Ok(id) => RecordId(id),
            // 2^80 ids in one millisecond: start a fresh random sequence instead.
            Err(_) => RecordId(ulid::Ulid::from_datetime(at.into())),
        }
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for RecordId {
    type Err = ulid::DecodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(RecordId(ulid::Ulid::from_string(s)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Build a valid code from a 17-character body.
    fn with_check(body: &str) -> String {
        format!("{body}{}", CreditCode::check_character(body.as_bytes()))
    }

    #[test]
    fn check_character_table() {
        // Bodies covering every first-character kind and letters in the org-code part.
        for body in [
            "91150100MA0N1234X",
            "91110108551385082",
            "5115000050000123A",
            "Y1150000MJ0000001",
            "93150102MA0QWERTY",
            "12150000011605123",
        ] {
            let code = with_check(body);
            assert!(CreditCode::parse(&code).is_ok(), "{code} should be valid");
        }
    }

    #[test]
    fn known_published_codes_are_valid() {
        // Codes printed on real business licences.
        for code in [
            "91110108551385082Q",
            "914403001922038216",
            "9144030071526726XG",
        ] {
            assert_eq!(
                CreditCode::parse(code).map(|c| c.to_string()),
                Ok(code.to_owned())
            );
        }
    }

    #[test]
    fn each_kind_of_corruption_is_caught() {
        let good = with_check("91150100MA0N12345");
        assert!(CreditCode::parse(&good).is_ok());

        // One character changed, at every position.
        for i in 0..18 {
            let mut bytes = good.clone().into_bytes();
            let original = bytes[i];
            let replacement = USCC_ALPHABET
                .iter()
                .copied()
                .find(|&c| c != original && (!(2..8).contains(&i) || c.is_ascii_digit()))
                .unwrap();
            bytes[i] = replacement;
            let changed = String::from_utf8(bytes).unwrap();
            assert!(
                CreditCode::parse(&changed).is_err(),
                "changing position {} ({changed}) must fail",
                i + 1
            );
        }

        // Two adjacent, different characters swapped, at every position.
        for i in 0..17 {
            let mut bytes = good.clone().into_bytes();
            if bytes[i] == bytes[i + 1] {
                continue;
            }
            bytes.swap(i, i + 1);
            let swapped = String::from_utf8(bytes).unwrap();
            assert!(
                CreditCode::parse(&swapped).is_err(),
                "swap at {} ({swapped}) must fail",
                i + 1
            );
        }

        // Letters outside the alphabet.
        for bad in ['I', 'O', 'Z', 'S', 'V', '-', '中'] {
            let mut s: Vec<char> = good.chars().collect();
            s[10] = bad;
            let code: String = s.into_iter().collect();
            assert!(matches!(
                CreditCode::parse(&code),
                Err(CreditCodeError::BadCharacter { position: 11, .. })
            ));
        }

        // Wrong lengths.
        assert_eq!(
            CreditCode::parse(&good[..17]),
            Err(CreditCodeError::WrongLength(17))
        );
        assert_eq!(
            CreditCode::parse(&format!("{good}0")),
            Err(CreditCodeError::WrongLength(19))
        );
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::WrongLength(0)));

        // Letters in the administrative division.
        let mut s = good.clone().into_bytes();
        s[4] = b'A';
        let code = String::from_utf8(s).unwrap();
        assert!(matches!(
            CreditCode::parse_legacy(&code),
            Err(CreditCodeError::BadAdministrativeDivision)
        ));
    }

    #[test]
    fn lowercase_and_spaces_are_normalised() {
        let good = with_check("91150100MA0N12345");
        let messy = format!("  {}  ", good.to_lowercase());
        assert_eq!(CreditCode::parse(&messy).unwrap().as_str(), good);
    }

    #[test]
    fn legacy_codes_parse_only_through_the_legacy_door() {
        let good = with_check("91150100MA0N12345");
        let wrong_check = if good.ends_with('0') { '1' } else { '0' };
        let legacy = format!("{}{wrong_check}", &good[..17]);
        assert!(matches!(
            CreditCode::parse(&legacy),
            Err(CreditCodeError::CheckCharacter { .. })
        ));
        let code = CreditCode::parse_legacy(&legacy).unwrap();
        assert!(!code.checksum_valid());
    }

    #[test]
    fn person_id_numbers_validate_and_never_print_in_clear() {
        // GB 11643 example number.
        let id = PersonIdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(format!("{id:?}"), "PersonIdNumber(110105********002X)");
        assert_eq!(format!("{id}"), "110105********002X");
        assert_eq!(
            PersonIdNumber::parse("110105194912310021"),
            Err(PersonIdError::CheckDigit)
        );
        assert_eq!(
            PersonIdNumber::parse("11010519491331002X"),
            Err(PersonIdError::BadBirthDate)
        );
        assert_eq!(
            PersonIdNumber::parse("1101051949123100"),
            Err(PersonIdError::WrongLength)
        );
    }

    proptest::proptest! {
        #[test]
        fn every_generated_body_gets_a_code_that_parses(body in "[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}") {
            let code = with_check(&body);
            proptest::prop_assert!(CreditCode::parse(&code).is_ok());
        }
    }
}
