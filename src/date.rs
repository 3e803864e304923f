//! Calendar dates as committee papers write them: 和暦 (令和6年9月2日, 令和元年5月1日, R6.9.2, H31.4.30) or
//! 西暦 (2024-09-02, 2024/9/2), compared without any time zone or clock library. Models may use any of these;
//! committee-facing text shows 和暦 ([`wareki`]) and JSON keeps ISO ([`iso`]).

use std::fmt;

/// A date as (year, month, day); ordering is chronological.
pub type Date = (u32, u32, u32);

/// An era (元号) from 昭和 on, with its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    /// Oldest first.
    pub const ALL: [Era; 3] = [Era::Showa, Era::Heisei, Era::Reiwa];

    pub fn ja(self) -> &'static str {
        match self {
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The first day of the era (改元の日).
    pub fn start(self) -> Date {
        match self {
            Era::Showa => (1926, 12, 25),
            Era::Heisei => (1989, 1, 8),
            Era::Reiwa => (2019, 5, 1),
        }
    }

    /// The era after this one, if any.
    fn next(self) -> Option<Era> {
        match self {
            Era::Showa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Reiwa),
            Era::Reiwa => None,
        }
    }

    /// The last day of the era, if it has ended.
    pub fn end(self) -> Option<Date> {
        self.next().map(|n| previous_day(n.start()))
    }

    /// The era a date falls in; None before 昭和.
    pub fn of(date: Date) -> Option<Era> {
        Era::ALL.iter().rev().copied().find(|e| date >= e.start())
    }

    /// 令和/R, 平成/H, 昭和/S (and the one-character ligatures ㋿ ㍻ ㍼) at the start of `text`.
    fn prefix(text: &str) -> Option<(Era, &str)> {
        const NAMES: [(&str, Era); 12] = [
            ("令和", Era::Reiwa),
            ("㋿", Era::Reiwa),
            ("R", Era::Reiwa),
            ("r", Era::Reiwa),
            ("平成", Era::Heisei),
            ("㍻", Era::Heisei),
            ("H", Era::Heisei),
            ("h", Era::Heisei),
            ("昭和", Era::Showa),
            ("㍼", Era::Showa),
            ("S", Era::Showa),
            ("s", Era::Showa),
        ];
        NAMES
            .iter()
            .find_map(|(name, era)| text.strip_prefix(name).map(|rest| (*era, rest)))
    }
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not in any of the accepted forms.
    Unreadable,
    /// The form is right but there is no such day (2月30日, 13月).
    NoSuchDay,
    /// An era year, month and day outside the era (平成32年, 令和元年4月30日).
    OutsideEra(Era),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Unreadable => f.write_str("日付の書き方として読めません"),
            DateError::NoSuchDay => f.write_str("暦にない日です"),
            DateError::OutsideEra(era) => {
                let start = wareki(era.start());
                match era.end() {
                    Some(end) => write!(
                        f,
                        "{}の期間外です（{}は{start}から{}まで）",
                        era.ja(),
                        era.ja(),
                        wareki(end)
                    ),
                    None => write!(f, "{}の期間外です（{}は{start}から）", era.ja(), era.ja()),
                }
            }
        }
    }
}

/// The forms a model may use, for help texts.
pub const ACCEPTED_FORMS: &str =
    "令和6年9月2日・令和元年5月1日・R6.9.2・R6/9/2・令和6.9.2・H31.4.30（昭和・平成・令和、全角数字も可）か、西暦の 2024-09-02・2024/9/2";

/// Parses a date in any accepted form; None if it is not a real date (or not within its era).
pub fn parse(text: &str) -> Option<Date> {
    parse_detailed(text).ok()
}

/// Parses a date, saying why not when it cannot.
///
/// Accepted: `令和6年9月2日`, `令和元年5月1日`, `令和6.9.2`, `R6.9.2`, `R6/9/2`, `R6-9-2`, `H31.4.30`, `S64.1.7`
/// (令和/平成/昭和 or R/H/S), `2024-09-02`, `2024/9/2`, `2024.9.2`, `2024年9月2日`; full-width digits, letters and
/// separators (`令和６年９月２日`, `Ｒ６．９．２`) and spaces are allowed. An era date must fall within its era.
pub fn parse_detailed(text: &str) -> Result<Date, DateError> {
    let text = normalise(text);
    let (era, rest) = match Era::prefix(&text) {
        Some((era, rest)) => (Some(era), rest),
        None => (None, text.as_str()),
    };
    let (year, month, day) = split_ymd(rest, era.is_some()).ok_or(DateError::Unreadable)?;
    let date = match era {
        Some(era) => {
            if year == 0 || year > 200 {
                return Err(DateError::OutsideEra(era));
            }
            let date = (era.start().0 + year - 1, month, day);
            if !is_real(date) {
                return Err(DateError::NoSuchDay);
            }
            if Era::of(date) != Some(era) {
                return Err(DateError::OutsideEra(era));
            }
            date
        }
        None => {
            let date = (year, month, day);
            if !is_real(date) || !(1900..=9999).contains(&year) {
                return Err(DateError::NoSuchDay);
            }
            date
        }
    };
    Ok(date)
}

/// Full-width digits, Latin letters and separators to ASCII; spaces dropped.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '／' | '－' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '‐' | '−' | '–' => '-',
            _ => c,
        })
        .collect()
}

/// `Y年M月D日` or `Y.M.D` / `Y/M/D` / `Y-M-D` (one separator throughout). `元` is year 1 in an era date.
fn split_ymd(text: &str, era: bool) -> Option<(u32, u32, u32)> {
    let number = |s: &str, allow_gan: bool| -> Option<u32> {
        if allow_gan && s == "元" {
            return Some(1);
        }
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    if let Some((y, rest)) = text.split_once('年') {
        let (m, rest) = rest.split_once('月')?;
        let d = rest.strip_suffix('日')?;
        return Some((number(y, era)?, number(m, false)?, number(d, false)?));
    }
    let sep = text.chars().find(|c| matches!(c, '.' | '/' | '-'))?;
    let mut parts = text.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || (!era && y.len() != 4) {
        return None;
    }
    Some((number(y, era)?, number(m, false)?, number(d, false)?))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_real((y, m, d): Date) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn previous_day((y, m, d): Date) -> Date {
    if d > 1 {
        (y, m, d - 1)
    } else if m > 1 {
        (y, m - 1, days_in_month(y, m - 1))
    } else {
        (y - 1, 12, 31)
    }
}

/// 「令和6年9月2日」 (元年 for an era's first year); a date before 昭和 is written 「1900年1月1日」.
pub fn wareki(date: Date) -> String {
    let (y, m, d) = date;
    match Era::of(date) {
        Some(era) => {
            let n = y - era.start().0 + 1;
            let year = if n == 1 {
                "元".to_string()
            } else {
                n.to_string()
            };
            format!("{}{year}年{m}月{d}日", era.ja())
        }
        None => format!("{y}年{m}月{d}日"),
    }
}

/// `2024-09-02`.
pub fn iso((y, m, d): Date) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date as the model wrote it, shown in 和暦; text that is not a date is returned as written.
pub fn wareki_text(text: &str) -> String {
    parse(text).map_or_else(|| text.to_string(), wareki)
}

/// A date as the model wrote it, in ISO; text that is not a date is returned as written.
pub fn iso_text(text: &str) -> String {
    parse(text).map_or_else(|| text.to_string(), iso)
}

/// Japan Standard Time, UTC+9 (no daylight saving).
const JST_OFFSET_SECS: u64 = 9 * 3600;

/// Today's date in Japan: `NAGARE_TODAY` (any accepted form) if set, so reports are reproducible, else the
/// system clock read in Japan Standard Time (UTC+9), so an acceptance expires at midnight in Japan.
pub fn today() -> Date {
    if let Some(date) = std::env::var("NAGARE_TODAY")
        .ok()
        .as_deref()
        .and_then(parse)
    {
        return date;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    japan_date(secs)
}

/// The date in Japan at a Unix time.
fn japan_date(unix_secs: u64) -> Date {
    civil_from_days(((unix_secs + JST_OFFSET_SECS) / 86_400) as i64)
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y as u32, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        assert_eq!(parse("2024-09-02"), Some((2024, 9, 2)));
        assert_eq!(parse("2024-9-2"), Some((2024, 9, 2)));
        assert_eq!(parse("2024/12/25"), Some((2024, 12, 25)));
        assert_eq!(parse("2024.9.2"), Some((2024, 9, 2)));
        assert_eq!(parse("2024年9月2日"), Some((2024, 9, 2)));
        assert_eq!(parse(" 2024-09-02 "), Some((2024, 9, 2)));
        assert_eq!(parse("２０２４－０９－０２"), Some((2024, 9, 2)));
        assert_eq!(parse("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse("2023-02-29"), None);
        assert_eq!(parse("1900-02-29"), None);
        assert_eq!(parse("2000-02-29"), Some((2000, 2, 29)));
        assert_eq!(parse("2024-13-01"), None);
        assert_eq!(parse("2024-04-31"), None);
        assert_eq!(parse("24-09-02"), None);
        assert_eq!(parse("2024-09"), None);
        assert_eq!(parse("2024-09-02-01"), None);
        assert_eq!(parse("2024/09-02"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("令和6年"), None);
        assert_eq!(parse("来年3月末"), None);
    }

    #[test]
    fn wareki_forms() {
        for text in [
            "令和6年9月2日",
            "令和６年９月２日",
            "令和 6年 9月 2日",
            "令和06年09月02日",
            "R6.9.2",
            "R6/9/2",
            "R6-9-2",
            "r6.9.2",
            "Ｒ６．９．２",
            "令和6.9.2",
            "令和6/9/2",
            "㋿6.9.2",
        ] {
            assert_eq!(parse(text), Some((2024, 9, 2)), "{text}");
        }
        assert_eq!(parse("令和元年5月1日"), Some((2019, 5, 1)));
        assert_eq!(parse("令和1年5月1日"), Some((2019, 5, 1)));
        assert_eq!(parse("R元.5.1"), Some((2019, 5, 1)));
        assert_eq!(parse("H31.4.30"), Some((2019, 4, 30)));
        assert_eq!(parse("平成31年4月30日"), Some((2019, 4, 30)));
        assert_eq!(parse("平成元年1月8日"), Some((1989, 1, 8)));
        assert_eq!(parse("昭和64年1月7日"), Some((1989, 1, 7)));
        assert_eq!(parse("S64.1.7"), Some((1989, 1, 7)));
        assert_eq!(parse("昭和元年12月25日"), Some((1926, 12, 25)));
        assert_eq!(parse("平成30年12月1日"), Some((2018, 12, 1)));
        // Mixed or incomplete forms are not read.
        assert_eq!(parse("令和6年9月2"), None);
        assert_eq!(parse("令和6年9.2"), None);
        assert_eq!(parse("R6.9/2"), None);
        assert_eq!(parse("令和6"), None);
        assert_eq!(parse("元.5.1"), None);
        assert_eq!(parse("2019年元月1日"), None);
        assert_eq!(parse("大正15年12月24日"), None);
    }

    #[test]
    fn era_boundaries() {
        // Each era ends the day before the next begins.
        assert_eq!(
            parse_detailed("令和元年4月30日"),
            Err(DateError::OutsideEra(Era::Reiwa))
        );
        assert_eq!(
            parse_detailed("平成31年5月1日"),
            Err(DateError::OutsideEra(Era::Heisei))
        );
        assert_eq!(
            parse_detailed("平成32年1月1日"),
            Err(DateError::OutsideEra(Era::Heisei))
        );
        assert_eq!(
            parse_detailed("H32.4.1"),
            Err(DateError::OutsideEra(Era::Heisei))
        );
        assert_eq!(
            parse_detailed("平成元年1月7日"),
            Err(DateError::OutsideEra(Era::Heisei))
        );
        assert_eq!(
            parse_detailed("昭和64年1月8日"),
            Err(DateError::OutsideEra(Era::Showa))
        );
        assert_eq!(
            parse_detailed("昭和元年12月24日"),
            Err(DateError::OutsideEra(Era::Showa))
        );
        assert_eq!(
            parse_detailed("令和0年5月1日"),
            Err(DateError::OutsideEra(Era::Reiwa))
        );
        assert_eq!(parse_detailed("令和6年2月30日"), Err(DateError::NoSuchDay));
        // 令和6年 is a leap year (2024); 令和5年 is not.
        assert_eq!(parse("令和6年2月29日"), Some((2024, 2, 29)));
        assert_eq!(parse_detailed("令和5年2月29日"), Err(DateError::NoSuchDay));
        assert_eq!(parse_detailed("R6.9"), Err(DateError::Unreadable));
        assert_eq!(Era::Heisei.end(), Some((2019, 4, 30)));
        assert_eq!(Era::Showa.end(), Some((1989, 1, 7)));
        assert_eq!(Era::Reiwa.end(), None);
    }

    #[test]
    fn error_messages_say_the_era_span() {
        assert_eq!(
            DateError::OutsideEra(Era::Heisei).to_string(),
            "平成の期間外です（平成は平成元年1月8日から平成31年4月30日まで）"
        );
        assert_eq!(
            DateError::OutsideEra(Era::Reiwa).to_string(),
            "令和の期間外です（令和は令和元年5月1日から）"
        );
    }

    #[test]
    fn formats_wareki_and_iso() {
        assert_eq!(wareki((2024, 9, 2)), "令和6年9月2日");
        assert_eq!(wareki((2019, 5, 1)), "令和元年5月1日");
        assert_eq!(wareki((2019, 4, 30)), "平成31年4月30日");
        assert_eq!(wareki((1989, 1, 8)), "平成元年1月8日");
        assert_eq!(wareki((1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(wareki((1926, 12, 25)), "昭和元年12月25日");
        assert_eq!(wareki((1926, 12, 24)), "1926年12月24日");
        assert_eq!(iso((2024, 9, 2)), "2024-09-02");
        assert_eq!(wareki_text("R7.3.31"), "令和7年3月31日");
        assert_eq!(iso_text("令和7年3月31日"), "2025-03-31");
        assert_eq!(wareki_text("来年"), "来年");
        // Round trip through both forms.
        for date in [
            (2019, 5, 1),
            (2019, 4, 30),
            (1989, 1, 7),
            (1989, 1, 8),
            (2025, 12, 31),
        ] {
            assert_eq!(parse(&wareki(date)), Some(date));
            assert_eq!(parse(&iso(date)), Some(date));
        }
    }

    #[test]
    fn today_is_japan_time() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_000), (2024, 10, 4));
        // 2024-09-01T15:00:00Z is 2024-09-02 00:00 in Japan; one second earlier is still 9月1日.
        let midnight_jst = 1_725_202_800;
        assert_eq!(japan_date(midnight_jst), (2024, 9, 2));
        assert_eq!(japan_date(midnight_jst - 1), (2024, 9, 1));
        // 2025-03-31T20:00:00Z is already 4月1日 in Japan: an acceptance `until` 令和7年3月31日 has expired there.
        assert_eq!(japan_date(1_743_451_200), (2025, 4, 1));
    }
}
