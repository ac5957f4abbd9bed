//! The one date type of an issue: its calendar validity, parsing, formatting and "today".
//!
//! Built on `jiff` (calendar rules, the local date in the system's time zone on every
//! platform). It serialises as `{year, month, day}` — the shape `document.json` gives the
//! layout. Its conversion to a Typst date lives in `typeset/`.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A day of the calendar, or None (2021-02-29, month 13, day 0…).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let y = i16::try_from(year).ok()?;
        let m = i8::try_from(month).ok()?;
        let d = i8::try_from(day).ok()?;
        jiff::civil::Date::new(y, m, d)
            .ok()
            .map(|_| Date { year, month, day })
    }

    /// `YYYY-MM-DD` (surrounding white space allowed), a real calendar date.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Date::new(year, month, day)
    }

    /// Today in the system's time zone (an editor in Beijing at 00:30 on 1 January gets the new
    /// year, not UTC's old one).
    pub fn today() -> Date {
        let d = jiff::Zoned::now().date();
        Date {
            year: i32::from(d.year()),
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }
}

/// `2021-01-20`: the one way kanwu writes a date (messages, manifests, tickets, catalogue).
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_calendar_days_only() {
        assert_eq!(
            Date::parse(" 2021-02-20 "),
            Some(Date {
                year: 2021,
                month: 2,
                day: 20
            })
        );
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.day),
            Some(29),
            "a leap day"
        );
        for bad in [
            "2021-02-29",
            "1900-02-29",
            "2021-13-01",
            "2021-04-31",
            "2021-00-10",
            "2021-01-00",
            "2021-01",
            "2021-01-01-01",
            "20210101",
            "二〇二一-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::new(2000, 2, 29).is_some(), "2000 is a leap year");
    }

    #[test]
    fn display_is_iso_and_order_is_the_calendar() {
        let a = Date::parse("2021-01-20").unwrap();
        let b = Date::parse("2021-02-01").unwrap();
        assert_eq!(a.to_string(), "2021-01-20");
        assert!(a < b && b < Date::parse("2022-01-01").unwrap());
    }

    #[test]
    fn today_is_a_valid_date() {
        let t = Date::today();
        assert_eq!(Date::new(t.year, t.month, t.day), Some(t));
    }
}
