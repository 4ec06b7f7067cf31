//! The template expression language: `[concat(parameters('a'), '-x')]` parsed into an `Ex`.

use kijun_model::Text;

#[derive(Clone, Debug)]
pub(super) enum Ex {
    Str(String),
    Num(f64),
    Call(String, Vec<Ex>),
    Prop(Box<Ex>, String),
    Index(Box<Ex>, Box<Ex>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn expr(&mut self) -> Result<Ex, Text> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(kijun_model::text!(
                "式の入れ子が深すぎます",
                "expression nested too deeply"
            ));
        }
        self.ws();
        let mut e = match self.s.get(self.i) {
            Some(b'\'') => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.s.get(self.i) {
                        None => {
                            return Err(kijun_model::text!(
                                "文字列が閉じられていません",
                                "unterminated string"
                            ))
                        }
                        Some(b'\'') if self.s.get(self.i + 1) == Some(&b'\'') => {
                            out.push(b'\'');
                            self.i += 2;
                        }
                        Some(b'\'') => {
                            self.i += 1;
                            break;
                        }
                        Some(&b) => {
                            out.push(b);
                            self.i += 1;
                        }
                    }
                }
                Ex::Str(String::from_utf8_lossy(&out).into_owned())
            }
            Some(b) if b.is_ascii_digit() || *b == b'-' => {
                let start = self.i;
                self.i += 1;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
                {
                    self.i += 1;
                }
                let t =
                    std::str::from_utf8(self.s.get(start..self.i).unwrap_or(b"0")).unwrap_or("0");
                Ex::Num(
                    t.parse()
                        .map_err(|_| kijun_model::text!("数値 {t} が不正です", "bad number {t}"))?,
                )
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    self.i += 1;
                }
                let name = String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or(b""))
                    .to_ascii_lowercase();
                self.ws();
                if self.s.get(self.i) != Some(&b'(') {
                    return Err(kijun_model::text!(
                        "{name} の後には '(' が必要です",
                        "expected '(' after {name}"
                    ));
                }
                self.i += 1;
                let mut args = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b')') {
                    self.i += 1;
                } else {
                    loop {
                        args.push(self.expr()?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b')') => {
                                self.i += 1;
                                break;
                            }
                            _ => {
                                return Err(kijun_model::text!(
                                    "',' か ')' が必要です",
                                    "expected ',' or ')'"
                                ))
                            }
                        }
                    }
                }
                Ex::Call(name, args)
            }
            _ => {
                return Err(kijun_model::text!(
                    "式に予期しない文字があります",
                    "unexpected character in expression"
                ))
            }
        };
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b'.') => {
                    self.i += 1;
                    let start = self.i;
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
                    {
                        self.i += 1;
                    }
                    let p = String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or(b""))
                        .into_owned();
                    e = Ex::Prop(Box::new(e), p);
                }
                Some(b'[') => {
                    self.i += 1;
                    let idx = self.expr()?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b']') {
                        return Err(kijun_model::text!("']' が必要です", "expected ']'"));
                    }
                    self.i += 1;
                    e = Ex::Index(Box::new(e), Box::new(idx));
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(e)
    }
}

pub(super) fn parse_expression(s: &str) -> Result<Ex, Text> {
    let mut p = Parser {
        s: s.as_bytes(),
        i: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.ws();
    if p.i != s.len() {
        return Err(kijun_model::text!(
            "式の後に余分な文字があります",
            "trailing characters in expression"
        ));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_parse() {
        assert!(parse_expression("concat(parameters('a'), '-x')").is_ok());
        assert!(parse_expression("resourceGroup().location").is_ok());
        assert!(
            parse_expression("reference(variables('id'), '2020-01-01').outputs['x'].value").is_ok()
        );
        assert!(parse_expression("concat('it''s')").is_ok());
        assert!(parse_expression(&"f(".repeat(1000)).is_err());
    }
}
