//! An sRGB colour stored in map files as `"#rrggbb"`, the form designers paste.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    pub fn from_hex(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rgb, D::Error> {
        let text = String::deserialize(d)?;
        Rgb::from_hex(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a colour like \"#2a9d8f\", found {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let c = Rgb(0x2a, 0x9d, 0x8f);
        assert_eq!(c.to_hex(), "#2a9d8f");
        assert_eq!(Rgb::from_hex("#2A9D8F"), Some(c));
        assert_eq!(Rgb::from_hex("2a9d8f"), None);
        assert_eq!(Rgb::from_hex("#2a9d8"), None);
        assert_eq!(Rgb::from_hex("#ééé"), None);
    }
}
