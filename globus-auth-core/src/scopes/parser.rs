//! The scope-string parser and serializer, with the Python SDK's semantics.
//!
//! Parsing goes through a graph, as in Python (`globus_sdk/scopes/_graph_parser.py`):
//! a scope named under several parents shares one set of dependencies, duplicate edges
//! merge, an optional edge is dropped where a required edge to the same scope exists, and
//! cycles are rejected. Unlike Python (whose sets make the order depend on string
//! hashing), the output keeps first-seen order, so it is deterministic.

use core::fmt;
use std::collections::HashMap;

use super::Scope;
use crate::Error;

/// The deepest dependency nesting a parsed scope may have. Real Globus scopes nest a few
/// levels; the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;
/// The most scope nodes the parse result may hold once shared dependencies are expanded
/// into each parent (the expansion can grow exponentially on hostile input).
const MAX_NODES: u64 = 10_000;

/// Why a scope string could not be parsed. `Display` gives the Python SDK's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScopeParseErrorKind {
    /// `a[`
    EndedInLeftBracket,
    /// `a[]`
    EmptyBrackets,
    /// `*`
    EndedInOptionalMarker,
    /// `a [b]`
    SpaceBeforeLeftBracket,
    /// `a]`
    UnmatchedRightBracket,
    /// `* a`
    SpaceAfterOptionalMarker,
    /// `a[b]c`
    TextAfterRightBracket,
    /// `a[[b]]`
    DoubleLeftBracket,
    /// `**a`, `*[`, `a[*]`
    OptionalMarkerWithoutScope,
    /// `a[b`
    UnclosedBrackets,
    /// `[a]`
    LeftBracketWithoutScope,
    /// Dependencies nested deeper than this SDK accepts (64 levels); Rust only.
    TooDeep,
    /// More scope nodes than this SDK accepts once shared dependencies are expanded
    /// (10,000); Rust only.
    TooLarge,
}

impl fmt::Display for ScopeParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EndedInLeftBracket => "ended in left bracket",
            Self::EmptyBrackets => "found empty brackets",
            Self::EndedInOptionalMarker => "ended in optional marker",
            Self::SpaceBeforeLeftBracket => "'[' cannot have a preceding space",
            Self::UnmatchedRightBracket => "found ']' with no matching '[' preceding it",
            Self::SpaceAfterOptionalMarker => "'*' must not be followed by a space",
            Self::TextAfterRightBracket => "']' may only be followed by a space or ']'",
            Self::DoubleLeftBracket => "found double left-bracket",
            Self::OptionalMarkerWithoutScope => "a scope string must always follow an optional marker",
            Self::UnclosedBrackets => "unclosed brackets, missing ']'",
            Self::LeftBracketWithoutScope => "found '[' without a preceding scope string",
            Self::TooDeep => "scope dependencies are nested too deeply",
            Self::TooLarge => "the scope string expands to too many scopes",
        })
    }
}

fn fail<T>(kind: ScopeParseErrorKind) -> Result<T, Error> {
    Err(Error::ScopeParse(kind))
}

/// Python's `str.isspace`: Unicode whitespace plus the ASCII separators `\x1c`..`\x1f`.
pub(crate) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Star,
    Open,
    Close,
    Name(&'a str),
}

fn tokenize(input: &str) -> Result<Vec<Token<'_>>, Error> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut chars = input.char_indices().peekable();
    while let Some((index, current)) = chars.next() {
        if !matches!(current, '[' | ']' | '*' | ' ') {
            continue;
        }
        let next = chars.peek().map(|&(_, c)| c);
        match (current, next) {
            ('*', Some(' ')) => return fail(ScopeParseErrorKind::SpaceAfterOptionalMarker),
            (']', Some(c)) if c != ' ' && c != ']' => {
                return fail(ScopeParseErrorKind::TextAfterRightBracket);
            }
            (' ', Some('[')) => return fail(ScopeParseErrorKind::SpaceBeforeLeftBracket),
            _ => {}
        }
        if start != index {
            tokens.push(Token::Name(&input[start..index]));
        }
        start = index + current.len_utf8();
        match current {
            '*' => tokens.push(Token::Star),
            '[' => tokens.push(Token::Open),
            ']' => tokens.push(Token::Close),
            _ => {}
        }
    }
    let remainder = input[start..].trim_matches(is_python_space);
    if !remainder.is_empty() {
        tokens.push(Token::Name(remainder));
    }
    Ok(tokens)
}

/// One scope occurrence in the parse tree (an arena node).
struct TreeNode<'a> {
    name: &'a str,
    optional: bool,
    children: Vec<usize>,
}

/// The parse trees: an arena of nodes and the indexes of the roots.
struct Forest<'a> {
    nodes: Vec<TreeNode<'a>>,
    roots: Vec<usize>,
}

fn parse_tokens<'a>(tokens: &[Token<'a>]) -> Result<Forest<'a>, Error> {
    let mut forest = Forest {
        nodes: Vec::new(),
        roots: Vec::new(),
    };
    let mut optional = false;
    let mut parents: Vec<usize> = Vec::new();
    let mut current: Option<usize> = None;
    for (position, token) in tokens.iter().enumerate() {
        let next = tokens.get(position + 1);
        match (token, next) {
            (Token::Star, None) => return fail(ScopeParseErrorKind::EndedInOptionalMarker),
            (Token::Star, Some(Token::Star | Token::Open | Token::Close)) => {
                return fail(ScopeParseErrorKind::OptionalMarkerWithoutScope);
            }
            (Token::Open, None) => return fail(ScopeParseErrorKind::EndedInLeftBracket),
            (Token::Open, Some(Token::Close)) => return fail(ScopeParseErrorKind::EmptyBrackets),
            (Token::Open, Some(Token::Open)) => return fail(ScopeParseErrorKind::DoubleLeftBracket),
            _ => {}
        }
        match token {
            Token::Star => optional = true,
            Token::Open => {
                let Some(scope) = current else {
                    return fail(ScopeParseErrorKind::LeftBracketWithoutScope);
                };
                if parents.len() >= MAX_DEPTH {
                    return fail(ScopeParseErrorKind::TooDeep);
                }
                parents.push(scope);
            }
            Token::Close => {
                if parents.pop().is_none() {
                    return fail(ScopeParseErrorKind::UnmatchedRightBracket);
                }
            }
            Token::Name(name) => {
                let index = forest.nodes.len();
                forest.nodes.push(TreeNode {
                    name,
                    optional,
                    children: Vec::new(),
                });
                optional = false;
                match parents.last() {
                    Some(&parent) => forest.nodes[parent].children.push(index),
                    None => forest.roots.push(index),
                }
                current = Some(index);
            }
        }
    }
    if !parents.is_empty() {
        return fail(ScopeParseErrorKind::UnclosedBrackets);
    }
    Ok(forest)
}

/// The scope graph: one node per distinct scope string, edges carrying optionality.
struct Graph<'a> {
    names: Vec<&'a str>,
    edges: Vec<Vec<(usize, bool)>>,
    top_level: Vec<(usize, bool)>,
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn build_graph<'a>(forest: &Forest<'a>) -> Graph<'a> {
    let mut ids: HashMap<&'a str, usize> = HashMap::new();
    let mut graph = Graph {
        names: Vec::new(),
        edges: Vec::new(),
        top_level: Vec::new(),
    };
    let mut id_of = |graph: &mut Graph<'a>, name: &'a str| {
        *ids.entry(name).or_insert_with(|| {
            graph.names.push(name);
            graph.edges.push(Vec::new());
            graph.names.len() - 1
        })
    };
    for &root in &forest.roots {
        let node = &forest.nodes[root];
        let id = id_of(&mut graph, node.name);
        push_unique(&mut graph.top_level, (id, node.optional));
    }
    for node in &forest.nodes {
        let source = id_of(&mut graph, node.name);
        for &child in &node.children {
            let child = &forest.nodes[child];
            let dest = id_of(&mut graph, child.name);
            push_unique(&mut graph.edges[source], (dest, child.optional));
        }
    }
    // An optional edge is superseded by a required edge between the same two scopes.
    for edges in &mut graph.edges {
        let required: Vec<usize> = edges
            .iter()
            .filter(|(_, optional)| !optional)
            .map(|&(dest, _)| dest)
            .collect();
        edges.retain(|&(dest, optional)| !optional || !required.contains(&dest));
    }
    graph
}

/// Depth-first search from the top-level scopes: the nodes in post-order (every node
/// after all of its dependencies), or the cycle error.
fn post_order(graph: &Graph<'_>) -> Result<Vec<usize>, Error> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; graph.names.len()];
    let mut order = Vec::with_capacity(graph.names.len());
    for &(root, _) in &graph.top_level {
        if marks[root] != Mark::New {
            continue;
        }
        marks[root] = Mark::Open;
        let mut stack = vec![(root, 0usize)];
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if let Some(&(dest, _)) = graph.edges[node].get(top.1) {
                top.1 += 1;
                match marks[dest] {
                    Mark::Open => {
                        return Err(Error::ScopeCycle {
                            scope: graph.names[dest].to_owned(),
                        });
                    }
                    Mark::New => {
                        marks[dest] = Mark::Open;
                        stack.push((dest, 0));
                    }
                    Mark::Done => {}
                }
            } else {
                marks[node] = Mark::Done;
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(order)
}

/// Parses a scope string into its top-level scopes (Python's `ScopeParser.parse`).
///
/// ```
/// use globus_auth_core::scopes::parse;
/// let scopes = parse("openid a[*b] a[b c]")?;
/// let rendered: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
/// assert_eq!(rendered, ["openid", "a[b c]"]);
/// assert!(parse("a[a]").is_err());
/// assert!(parse("").unwrap().is_empty());
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
pub fn parse(scope_string: &str) -> Result<Vec<Scope>, Error> {
    let tokens = tokenize(scope_string)?;
    let forest = parse_tokens(&tokens)?;
    let graph = build_graph(&forest);
    let order = post_order(&graph)?;

    // Bound the expanded result before building it.
    let mut depth = vec![0usize; graph.names.len()];
    let mut size = vec![0u64; graph.names.len()];
    for &node in &order {
        let edges = &graph.edges[node];
        depth[node] = 1 + edges.iter().map(|&(dest, _)| depth[dest]).max().unwrap_or(0);
        size[node] = edges
            .iter()
            .fold(1u64, |total, &(dest, _)| total.saturating_add(size[dest]));
        if depth[node] > MAX_DEPTH + 1 {
            return fail(ScopeParseErrorKind::TooDeep);
        }
        if size[node] > MAX_NODES {
            return fail(ScopeParseErrorKind::TooLarge);
        }
    }
    let total = graph
        .top_level
        .iter()
        .fold(0u64, |total, &(node, _)| total.saturating_add(size[node]));
    if total > MAX_NODES {
        return fail(ScopeParseErrorKind::TooLarge);
    }

    let mut dependencies: Vec<Vec<Scope>> = vec![Vec::new(); graph.names.len()];
    for &node in &order {
        let built = graph.edges[node]
            .iter()
            .map(|&(dest, optional)| {
                Scope::from_parts(graph.names[dest].to_owned(), optional, dependencies[dest].clone())
            })
            .collect();
        dependencies[node] = built;
    }
    Ok(graph
        .top_level
        .iter()
        .map(|&(node, optional)| Scope::from_parts(graph.names[node].to_owned(), optional, dependencies[node].clone()))
        .collect())
}

/// Merges two scope lists into one, by parsing them as one string (Python's
/// `ScopeParser.merge_scopes`): shared scopes combine their dependencies, and a required
/// dependency wins over an optional one.
///
/// ```
/// use globus_auth_core::scopes::{merge, parse};
/// let merged = merge(&parse("a a[b]")?, &parse("a[*c] a[*b]")?)?;
/// assert_eq!(merged.len(), 1);
/// assert_eq!(merged[0].to_string(), "a[b *c]");
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
pub fn merge(a: &[Scope], b: &[Scope]) -> Result<Vec<Scope>, Error> {
    parse(&serialize(a.iter().chain(b), false)?)
}

/// Joins scopes (strings or [`Scope`]s, anything `Display`) with single spaces, without
/// parsing or reordering them (Python's `ScopeParser.serialize`). With `reject_empty`, a
/// result that is the empty string is an [`Error::EmptyScopes`].
///
/// ```
/// use globus_auth_core::scopes::{serialize, Scope};
/// assert_eq!(serialize(["openid", "email"], true)?, "openid email");
/// let transfer = Scope::parse("urn:globus:auth:scope:transfer.api.globus.org:all")?;
/// assert_eq!(serialize([transfer], true)?, "urn:globus:auth:scope:transfer.api.globus.org:all");
/// assert!(serialize(Vec::<String>::new(), true).is_err());
/// assert_eq!(serialize(Vec::<String>::new(), false)?, "");
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
pub fn serialize<I>(scopes: I, reject_empty: bool) -> Result<String, Error>
where
    I: IntoIterator,
    I::Item: fmt::Display,
{
    let mut out = String::new();
    for (index, scope) in scopes.into_iter().enumerate() {
        if index > 0 {
            out.push(' ');
        }
        fmt::Write::write_fmt(&mut out, format_args!("{scope}")).expect("writing to a String cannot fail");
    }
    if reject_empty && out.is_empty() {
        return Err(Error::EmptyScopes);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(input: &str) -> ScopeParseErrorKind {
        match parse(input) {
            Err(Error::ScopeParse(kind)) => kind,
            other => panic!("{input:?}: expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn python_error_messages() {
        let cases = [
            ("a[", "ended in left bracket"),
            ("a[]", "found empty brackets"),
            ("*", "ended in optional marker"),
            ("a [b]", "'[' cannot have a preceding space"),
            ("a]", "found ']' with no matching '[' preceding it"),
            ("* a", "'*' must not be followed by a space"),
            ("a[b]c", "']' may only be followed by a space or ']'"),
            ("a[[b]]", "found double left-bracket"),
            ("*[", "a scope string must always follow an optional marker"),
            ("a[b", "unclosed brackets, missing ']'"),
            ("[a]", "found '[' without a preceding scope string"),
        ];
        for (input, message) in cases {
            assert_eq!(kind(input).to_string(), message, "{input:?}");
        }
    }

    #[test]
    fn shared_dependencies_and_first_seen_order() {
        let scopes = parse("x[b] a[b[c]] b[d]").unwrap();
        let rendered: Vec<String> = scopes.iter().map(ToString::to_string).collect();
        assert_eq!(rendered, ["x[b[c d]]", "a[b[c d]]", "b[c d]"]);
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}x{}", "a[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(kind(&deep), ScopeParseErrorKind::TooDeep);
        let chain: Vec<String> = (0..5000).map(|i| format!("s{i}[s{}]", i + 1)).collect();
        assert_eq!(kind(&chain.join(" ")), ScopeParseErrorKind::TooDeep);
        let diamond: Vec<String> = (0..40)
            .map(|i| format!("l{i}[l{i}a l{i}b] l{i}a[l{n}] l{i}b[l{n}]", n = i + 1))
            .collect();
        assert!(matches!(parse(&diamond.join(" ")), Err(Error::ScopeParse(_))));
    }

    #[test]
    fn cycle_is_reported() {
        assert!(matches!(parse("a[b[c[a]]]"), Err(Error::ScopeCycle { scope }) if scope == "a"));
    }
}
