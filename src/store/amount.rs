//! Money as exports write it: "12.50", "$1,234.50", "12,50 zł",
//! "1 234,50 PLN", "₫ 250.000", "€3.20". A currency symbol or code before or
//! after the number is read and set aside (never converted); the number's
//! decimal mark is the file's (`decimal_comma`), and thousands may be
//! grouped with spaces, or with the other mark in groups of three.

/// A number read from a money field, and the currency it was written in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Amount {
    pub value: f64,
    pub currency: Option<Currency>,
}

/// An ISO 4217 currency code ("PLN"), as written or as a symbol stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Currency([u8; 3]);

impl Currency {
    pub fn from_code(code: &str) -> Option<Currency> {
        let b = code.as_bytes();
        (b.len() == 3 && b.iter().all(u8::is_ascii_uppercase)).then(|| Currency([b[0], b[1], b[2]]))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Symbols and local names, longest first where one starts another, with
/// the currency each stands for.
const SYMBOLS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("R$", "BRL"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₫", "VND"),
    ("VNĐ", "VND"),
    ("đ", "VND"),
    ("zł", "PLN"),
    ("Kč", "CZK"),
    ("Ft", "HUF"),
    ("lei", "RON"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₺", "TRY"),
    ("₴", "UAH"),
    ("₽", "RUB"),
    ("₪", "ILS"),
    ("฿", "THB"),
    ("CHF", "CHF"),
];

/// Reads `text` as an amount; `None` when it is not one.
pub(crate) fn parse_amount(text: &str, decimal_comma: bool) -> Option<Amount> {
    let (negated, number, currency) = split_currency(text.trim());
    let value = parse_number(number, decimal_comma)?;
    if negated && number.starts_with(['-', '\u{2212}']) {
        return None;
    }
    Some(Amount {
        value: if negated { -value } else { value },
        currency,
    })
}

/// Reads a number without a currency: `12.50`, `1,234.50`, `1 234,50`,
/// `1.234,50` (the last two with `decimal_comma`).
pub(crate) fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let (point, group) = if decimal_comma { (',', '.') } else { ('.', ',') };
    let (int, frac) = match digits.rsplit_once(point) {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let Some(int) = int_digits(int, group) else {
        // "12.5" in a file of decimal commas: a point written as the decimal mark.
        let lone_point = decimal_comma && frac.is_none() && digits.matches('.').count() == 1;
        return lone_point
            .then(|| parse_number(&digits.replace('.', ","), true))
            .flatten()
            .map(|v| if negative { -v } else { v });
    };
    let mut plain = String::with_capacity(digits.len() + 1);
    if negative {
        plain.push('-');
    }
    plain.push_str(&int);
    if let Some(frac) = frac {
        plain.push('.');
        plain.push_str(frac);
    }
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The digits of an integer part: plain, or grouped by three with spaces
/// or `group` (one kind of separator throughout).
fn int_digits(int: &str, group: char) -> Option<String> {
    if int.is_empty() {
        return None;
    }
    if int.bytes().all(|b| b.is_ascii_digit()) {
        return Some(int.to_owned());
    }
    let sep = int.chars().find(|c| !c.is_ascii_digit())?;
    if !(sep == group || matches!(sep, ' ' | '\u{a0}' | '\u{202f}' | '\'')) {
        return None;
    }
    let groups: Vec<&str> = int.split(sep).collect();
    let grouped = (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    grouped.then(|| groups.concat())
}

/// `text` without the currency written before or after its number.
pub(crate) fn number_part(text: &str) -> &str {
    split_currency(text).1
}

/// Whether a sign stands before a leading currency ("-$12.50"), the
/// number, and the currency written before or after it.
fn split_currency(text: &str) -> (bool, &str, Option<Currency>) {
    let (negated, rest) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    if let Some((currency, number)) = leading(rest) {
        return (negated, number, Some(currency));
    }
    if let Some((currency, number)) = trailing(text) {
        return (false, number, Some(currency));
    }
    (false, text, None)
}

/// A currency at the start of `text`, and the rest.
fn leading(text: &str) -> Option<(Currency, &str)> {
    let (currency, len) = SYMBOLS
        .iter()
        .find(|(s, _)| text.starts_with(s))
        .and_then(|(s, c)| Some((Currency::from_code(c)?, s.len())))
        .or_else(|| Some((Currency::from_code(text.get(..3)?)?, 3)))?;
    let rest = text[len..].trim_start();
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '\u{2212}')
        .then_some((currency, rest))
}

/// A currency at the end of `text`, and the rest.
fn trailing(text: &str) -> Option<(Currency, &str)> {
    let (currency, len) = SYMBOLS
        .iter()
        .find(|(s, _)| text.ends_with(s))
        .and_then(|(s, c)| Some((Currency::from_code(c)?, s.len())))
        .or_else(|| Some((Currency::from_code(text.get(text.len().checked_sub(3)?..)?)?, 3)))?;
    let rest = text[..text.len() - len].trim_end();
    rest.ends_with(|c: char| c.is_ascii_digit()).then_some((currency, rest))
}

/// The one currency of an import's money fields: the first one written,
/// and where.
#[derive(Debug, Default)]
pub(crate) struct OneCurrency {
    pub first: Option<(Currency, u64)>,
}

impl OneCurrency {
    /// Notes `currency` seen at `line`; `Err` with the first currency and
    /// its line when it is another one.
    pub fn check(&mut self, currency: Option<Currency>, line: u64) -> Result<(), (Currency, u64)> {
        let Some(c) = currency else { return Ok(()) };
        match self.first {
            None => {
                self.first = Some((c, line));
                Ok(())
            }
            Some((first, _)) if first == c => Ok(()),
            Some(first) => Err(first),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, comma: bool) -> Option<(f64, Option<String>)> {
        parse_amount(text, comma).map(|a| (a.value, a.currency.map(|c| c.code().to_owned())))
    }

    fn money(value: f64, code: &str) -> Option<(f64, Option<String>)> {
        Some((value, Some(code.to_owned())))
    }

    #[test]
    fn symbols_and_codes_before_or_after_the_number() {
        assert_eq!(read("12,50 zł", true), money(12.5, "PLN"));
        assert_eq!(read("$1,234.50", false), money(1234.5, "USD"));
        assert_eq!(read("1 234,50 PLN", true), money(1234.5, "PLN"));
        assert_eq!(read("1\u{a0}234,50\u{a0}zł", true), money(1234.5, "PLN"));
        assert_eq!(read("₫ 250.000", true), money(250_000.0, "VND"));
        assert_eq!(read("250.000 đ", true), money(250_000.0, "VND"));
        assert_eq!(read("€3.20", false), money(3.2, "EUR"));
        assert_eq!(read("3,20 €", true), money(3.2, "EUR"));
        assert_eq!(read("USD 12", false), money(12.0, "USD"));
        assert_eq!(read("-$12.50", false), money(-12.5, "USD"));
        assert_eq!(read("$-12.50", false), money(-12.5, "USD"));
        assert_eq!(read("-12,50 zł", true), money(-12.5, "PLN"));
        assert_eq!(read("12.5", false), Some((12.5, None)));
        assert_eq!(read("1.234,5", true), Some((1234.5, None)));
    }

    #[test]
    fn the_decimal_mark_is_the_files() {
        // With a decimal point, a comma only groups thousands.
        assert_eq!(read("12,50 zł", false), None);
        assert_eq!(read("1,234", false), Some((1234.0, None)));
        // With decimal commas, a point only groups thousands.
        assert_eq!(read("₫ 250.000", false), money(250.0, "VND"));
        // A lone point in a file of decimal commas is read as the decimal mark.
        assert_eq!(read("1.5", true), Some((1.5, None)));
        assert_eq!(read("1,2,3", true), None);
    }

    #[test]
    fn what_is_not_an_amount() {
        for text in [
            "", "abc", "12 zł 5", "$", "12.50.1", "1 23,5", "EURO 5", "NaN", "inf", "12 50",
        ] {
            assert_eq!(read(text, false), None, "{text}");
            assert_eq!(read(text, true), None, "{text}");
        }
    }

    #[test]
    fn one_currency_per_import() {
        let code = |c: &str| Currency::from_code(c);
        let mut one = OneCurrency::default();
        assert_eq!(one.check(None, 2), Ok(()));
        assert_eq!(one.check(code("PLN"), 3), Ok(()));
        assert_eq!(one.check(code("PLN"), 4), Ok(()));
        assert_eq!(one.check(None, 5), Ok(()));
        assert_eq!(one.check(code("EUR"), 6), Err((code("PLN").unwrap(), 3)));
    }
}
