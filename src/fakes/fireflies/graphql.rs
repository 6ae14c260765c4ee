//! Just enough of GraphQL's query language to serve the real query text clients send: one
//! operation (`query`, named or anonymous, or the `{ … }` shorthand), variable definitions with
//! types and defaults, fields with aliases, arguments and selection sets, literal values of
//! every kind, and comments. Fragments, directives and mutations are refused with a GraphQL
//! error, as a server without them would.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Variable(String),
    Int(i64),
    Float(f64),
    String(String),
    Boolean(bool),
    Null,
    Enum(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariableDefinition {
    pub name: String,
    /// The type as written, e.g. `String!` or `[String]`.
    pub type_name: String,
    pub default: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub alias: Option<String>,
    pub name: String,
    pub arguments: Vec<(String, Value)>,
    pub selections: Vec<Field>,
}

impl Field {
    /// The key this field has in the answer.
    pub fn response_key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub variables: Vec<VariableDefinition>,
    pub selections: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Punct(char),
    Spread,
    Str(String),
    Int(i64),
    Float(f64),
}

fn lex(source: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' | ',' | '\u{feff}' => i += 1,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '{' | '}' | '(' | ')' | '[' | ']' | ':' | '!' | '$' | '=' | '@' | '|' | '&' => {
                tokens.push(Token::Punct(c));
                i += 1;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                tokens.push(Token::Spread);
                i += 3;
            }
            '"' => {
                if chars.get(i + 1) == Some(&'"') && chars.get(i + 2) == Some(&'"') {
                    return Err("block strings are not supported".into());
                }
                i += 1;
                let mut s = String::new();
                loop {
                    match chars.get(i) {
                        None | Some('\n') => return Err("Unterminated string.".into()),
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some('\\') => {
                            let escaped = match chars.get(i + 1) {
                                Some('"') => '"',
                                Some('\\') => '\\',
                                Some('/') => '/',
                                Some('n') => '\n',
                                Some('t') => '\t',
                                Some('r') => '\r',
                                Some('b') => '\u{8}',
                                Some('f') => '\u{c}',
                                Some('u') => {
                                    let hex: String = chars.iter().skip(i + 2).take(4).collect();
                                    let code = u32::from_str_radix(&hex, 16)
                                        .ok()
                                        .and_then(char::from_u32)
                                        .ok_or("Invalid Unicode escape sequence.")?;
                                    i += 4;
                                    code
                                }
                                _ => return Err("Invalid character escape sequence.".into()),
                            };
                            s.push(escaped);
                            i += 2;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Str(s));
            }
            '-' | '0'..='9' => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_digit()
                        || matches!(chars[i], '.' | 'e' | 'E' | '+' | '-'))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                if text.contains(['.', 'e', 'E']) {
                    let f = text
                        .parse::<f64>()
                        .map_err(|_| format!("Invalid number, unexpected \"{text}\"."))?;
                    tokens.push(Token::Float(f));
                } else {
                    let n = text
                        .parse::<i64>()
                        .map_err(|_| format!("Invalid number, unexpected \"{text}\"."))?;
                    tokens.push(Token::Int(n));
                }
            }
            c if c == '_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                tokens.push(Token::Name(chars[start..i].iter().collect()));
            }
            other => return Err(format!("Unexpected character: \"{other}\".")),
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

/// Parses a document of one query operation. Errors read like a GraphQL server's
/// (`Syntax Error: …`).
pub fn parse(source: &str) -> Result<Operation, String> {
    let tokens = lex(source).map_err(|e| format!("Syntax Error: {e}"))?;
    let mut p = Parser { tokens, at: 0 };
    let op = p.operation().map_err(|e| format!("Syntax Error: {e}"))?;
    if p.at < p.tokens.len() {
        return Err(match &p.tokens[p.at] {
            Token::Name(n) if n == "fragment" => {
                "fragments are not supported by this server".to_owned()
            }
            Token::Name(n) if matches!(n.as_str(), "query" | "mutation" | "subscription") => {
                "Must provide operation name if query contains multiple operations.".to_owned()
            }
            t => format!("Syntax Error: Unexpected {}.", describe(Some(t))),
        });
    }
    Ok(op)
}

fn describe(t: Option<&Token>) -> String {
    match t {
        None => "<EOF>".to_owned(),
        Some(Token::Name(n)) => format!("Name \"{n}\""),
        Some(Token::Punct(c)) => format!("\"{c}\""),
        Some(Token::Spread) => "\"...\"".to_owned(),
        Some(Token::Str(s)) => format!("String \"{s}\""),
        Some(Token::Int(n)) => format!("Int \"{n}\""),
        Some(Token::Float(f)) => format!("Float \"{f}\""),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        match self.next() {
            Some(Token::Punct(p)) if p == c => Ok(()),
            t => Err(format!("Expected \"{c}\", found {}.", describe(t.as_ref()))),
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Punct(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn name(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Name(n)) => Ok(n),
            t => Err(format!("Expected Name, found {}.", describe(t.as_ref()))),
        }
    }

    fn operation(&mut self) -> Result<Operation, String> {
        let mut variables = Vec::new();
        match self.peek() {
            Some(Token::Punct('{')) => {}
            Some(Token::Name(n)) if n == "query" => {
                self.at += 1;
                if let Some(Token::Name(_)) = self.peek() {
                    self.at += 1;
                }
                if self.eat('(') {
                    while !self.eat(')') {
                        variables.push(self.variable_definition()?);
                    }
                }
                if self.peek() == Some(&Token::Punct('@')) {
                    return Err("directives are not supported".into());
                }
            }
            Some(Token::Name(n)) if n == "mutation" || n == "subscription" => {
                return Err(format!("this server does not serve {n}s"));
            }
            t => return Err(format!("Unexpected {}.", describe(t))),
        }
        let selections = self.selection_set()?;
        Ok(Operation {
            variables,
            selections,
        })
    }

    fn variable_definition(&mut self) -> Result<VariableDefinition, String> {
        self.expect('$')?;
        let name = self.name()?;
        self.expect(':')?;
        let type_name = self.type_ref()?;
        let default = if self.eat('=') {
            Some(self.value(true)?)
        } else {
            None
        };
        Ok(VariableDefinition {
            name,
            type_name,
            default,
        })
    }

    fn type_ref(&mut self) -> Result<String, String> {
        let mut t = if self.eat('[') {
            let inner = self.type_ref()?;
            self.expect(']')?;
            format!("[{inner}]")
        } else {
            self.name()?
        };
        if self.eat('!') {
            t.push('!');
        }
        Ok(t)
    }

    fn selection_set(&mut self) -> Result<Vec<Field>, String> {
        self.expect('{')?;
        let mut fields = Vec::new();
        while !self.eat('}') {
            match self.peek() {
                Some(Token::Spread) => return Err("fragments are not supported".into()),
                None => return Err("Expected Name, found <EOF>.".into()),
                _ => fields.push(self.field()?),
            }
        }
        if fields.is_empty() {
            return Err("Expected Name, found \"}\".".into());
        }
        Ok(fields)
    }

    fn field(&mut self) -> Result<Field, String> {
        let first = self.name()?;
        let (alias, name) = if self.eat(':') {
            (Some(first), self.name()?)
        } else {
            (None, first)
        };
        let mut arguments = Vec::new();
        if self.eat('(') {
            while !self.eat(')') {
                let arg = self.name()?;
                self.expect(':')?;
                arguments.push((arg, self.value(false)?));
            }
        }
        if self.peek() == Some(&Token::Punct('@')) {
            return Err("directives are not supported".into());
        }
        let selections = if self.peek() == Some(&Token::Punct('{')) {
            self.selection_set()?
        } else {
            Vec::new()
        };
        Ok(Field {
            alias,
            name,
            arguments,
            selections,
        })
    }

    fn value(&mut self, constant: bool) -> Result<Value, String> {
        match self.next() {
            Some(Token::Punct('$')) if !constant => Ok(Value::Variable(self.name()?)),
            Some(Token::Int(n)) => Ok(Value::Int(n)),
            Some(Token::Float(f)) => Ok(Value::Float(f)),
            Some(Token::Str(s)) => Ok(Value::String(s)),
            Some(Token::Name(n)) => Ok(match n.as_str() {
                "true" => Value::Boolean(true),
                "false" => Value::Boolean(false),
                "null" => Value::Null,
                _ => Value::Enum(n),
            }),
            Some(Token::Punct('[')) => {
                let mut items = Vec::new();
                while !self.eat(']') {
                    items.push(self.value(constant)?);
                }
                Ok(Value::List(items))
            }
            Some(Token::Punct('{')) => {
                let mut fields = BTreeMap::new();
                while !self.eat('}') {
                    let k = self.name()?;
                    self.expect(':')?;
                    fields.insert(k, self.value(constant)?);
                }
                Ok(Value::Object(fields))
            }
            t => Err(format!("Unexpected {}.", describe(t.as_ref()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_queries_clients_send() {
        let op = parse(
            r#"# list
            query Transcripts($keyword: String, $limit: Int = 10, $p: [String!]!) {
              list: transcripts(keyword: $keyword, limit: $limit, skip: 0, participants: $p, scope: all, x: {a: [1, 2.5, "q\"s"], b: null}) {
                id title
                meeting_attendees { email }
              }
            }"#,
        )
        .unwrap();
        assert_eq!(op.variables.len(), 3);
        assert_eq!(op.variables[1].default, Some(Value::Int(10)));
        assert_eq!(op.variables[2].type_name, "[String!]!");
        let f = &op.selections[0];
        assert_eq!(f.response_key(), "list");
        assert_eq!(f.name, "transcripts");
        assert_eq!(f.arguments[4], ("scope".into(), Value::Enum("all".into())));
        assert_eq!(f.selections.len(), 3);
        assert_eq!(f.selections[2].selections[0].name, "email");
        assert!(parse("{ transcript(id: \"a\") { id } }").is_ok());
    }

    #[test]
    fn refuses_what_it_does_not_serve_and_bad_syntax() {
        assert!(parse("mutation { x }").unwrap_err().contains("mutation"));
        assert!(parse("{ a { ...F } }").unwrap_err().contains("fragments"));
        assert!(parse("{ a ").unwrap_err().starts_with("Syntax Error"));
        assert!(parse("{ }").unwrap_err().starts_with("Syntax Error"));
        assert!(parse("{ a } { b }").is_err());
        assert!(parse("{ a(x: \"open) }").is_err());
    }
}
