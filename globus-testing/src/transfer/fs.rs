//! A small in-memory filesystem per collection.
//!
//! Paths are normalized absolute paths (`/`, `/~`, `/~/godata`); `~` (the home directory) is
//! an ordinary directory named `~` under `/`, so `/~/x` and `~/x` are the same path.

use std::collections::BTreeMap;

/// When the seeded files were "modified": 2023-12-18 16:52:50 UTC.
pub(crate) const SEED_MTIME: u64 = 1_702_918_370;
/// Entries in the seeded large directory `/~/big/`.
pub(crate) const BIG_DIR_ENTRIES: usize = 1000;

/// A file or directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) is_dir: bool,
    pub(crate) size: u64,
    pub(crate) mtime: u64,
}

impl Node {
    fn dir(mtime: u64) -> Self {
        Self {
            is_dir: true,
            size: 4096,
            mtime,
        }
    }

    fn file(size: u64, mtime: u64) -> Self {
        Self {
            is_dir: false,
            size,
            mtime,
        }
    }
}

/// Why an operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FsError {
    /// The path (or the source of a rename) does not exist.
    NotFound,
    /// The path (or the destination of a rename) already exists.
    Exists,
    /// The parent directory does not exist or is a file.
    ParentMissing,
    /// The operation is not possible (e.g. renaming a directory into itself, or the root).
    Invalid,
}

/// Normalizes a path: resolves `.` and `..`, makes `~/x` and relative paths absolute under `/~`.
pub(crate) fn normalize(path: &str) -> String {
    let path = path.trim();
    let absolute = if path.starts_with('/') {
        path.to_owned()
    } else if path.starts_with('~') {
        format!("/{path}")
    } else {
        format!("/~/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in absolute.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The parent of a normalized path (`None` for `/`).
fn parent(path: &str) -> Option<&str> {
    if path == "/" {
        return None;
    }
    let cut = path.rfind('/').unwrap_or(0);
    Some(if cut == 0 { "/" } else { &path[..cut] })
}

/// The last component of a normalized path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn child_prefix(dir: &str) -> String {
    if dir == "/" { "/".to_owned() } else { format!("{dir}/") }
}

/// The filesystem of one collection.
#[derive(Debug, Clone)]
pub(crate) struct Fs {
    nodes: BTreeMap<String, Node>,
}

impl Fs {
    /// The seeded tree: `/~/godata/file{1,2,3}.txt`, `/~/README.txt`, `/~/big/` with
    /// [`BIG_DIR_ENTRIES`] files, `/share/godata/file{1,2,3}.txt`.
    pub(crate) fn seeded() -> Self {
        let mut fs = Self { nodes: BTreeMap::new() };
        for dir in ["/", "/~", "/~/godata", "/~/big", "/share", "/share/godata"] {
            fs.nodes.insert(dir.to_owned(), Node::dir(SEED_MTIME));
        }
        for base in ["/~/godata", "/share/godata"] {
            for n in 1..=3u64 {
                fs.nodes
                    .insert(format!("{base}/file{n}.txt"), Node::file(4, SEED_MTIME));
            }
        }
        fs.nodes.insert("/~/README.txt".into(), Node::file(512, SEED_MTIME));
        fs.nodes.insert("/~/.hidden".into(), Node::file(1, SEED_MTIME));
        for n in 0..BIG_DIR_ENTRIES {
            fs.nodes.insert(
                format!("/~/big/file_{n:04}.dat"),
                Node::file(1024 * (n as u64 % 7 + 1), SEED_MTIME + n as u64),
            );
        }
        fs
    }

    /// The node at a normalized path.
    pub(crate) fn stat(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// The direct children of a directory, in name order.
    pub(crate) fn children(&self, dir: &str) -> Vec<(String, Node)> {
        let prefix = child_prefix(dir);
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .filter_map(|(path, node)| {
                let rest = &path[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| (rest.to_owned(), node.clone()))
            })
            .collect()
    }

    /// A node and everything under it, as (path relative to `path`, node); `""` is the node itself.
    pub(crate) fn subtree(&self, path: &str) -> Vec<(String, Node)> {
        let Some(node) = self.nodes.get(path) else {
            return Vec::new();
        };
        let mut out = vec![(String::new(), node.clone())];
        if node.is_dir {
            let prefix = child_prefix(path);
            out.extend(
                self.nodes
                    .range(prefix.clone()..)
                    .take_while(|(key, _)| key.starts_with(&prefix))
                    .filter(|(key, _)| key.len() > prefix.len())
                    .map(|(key, node)| (key[prefix.len() - 1..].to_owned(), node.clone())),
            );
        }
        out
    }

    fn require_parent_dir(&self, path: &str) -> Result<(), FsError> {
        let parent = parent(path).ok_or(FsError::Invalid)?;
        match self.nodes.get(parent) {
            Some(node) if node.is_dir => Ok(()),
            _ => Err(FsError::ParentMissing),
        }
    }

    /// Creates a directory whose parent exists.
    pub(crate) fn mkdir(&mut self, path: &str, now: u64) -> Result<(), FsError> {
        if self.nodes.contains_key(path) {
            return Err(FsError::Exists);
        }
        self.require_parent_dir(path)?;
        self.nodes.insert(path.to_owned(), Node::dir(now));
        Ok(())
    }

    /// Moves a file or directory tree.
    pub(crate) fn rename(&mut self, old: &str, new: &str) -> Result<(), FsError> {
        if old == "/" || new == "/" || new.starts_with(&child_prefix(old)) {
            return Err(FsError::Invalid);
        }
        if !self.nodes.contains_key(old) {
            return Err(FsError::NotFound);
        }
        if self.nodes.contains_key(new) {
            return Err(FsError::Exists);
        }
        self.require_parent_dir(new)?;
        let moved = self.subtree(old);
        self.remove(old);
        for (relative, node) in moved {
            self.nodes.insert(format!("{new}{relative}"), node);
        }
        Ok(())
    }

    /// Removes a node and everything under it.
    pub(crate) fn remove(&mut self, path: &str) {
        let prefix = child_prefix(path);
        let doomed: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .map(|(key, _)| key.clone())
            .collect();
        for key in doomed {
            self.nodes.remove(&key);
        }
        if path != "/" {
            self.nodes.remove(path);
        }
    }

    /// Writes a node, creating missing parent directories (a file in the way is replaced).
    pub(crate) fn put(&mut self, path: &str, node: Node, now: u64) {
        let mut ancestor = parent(path);
        let mut missing = Vec::new();
        while let Some(dir) = ancestor {
            if self.nodes.get(dir).is_some_and(|n| n.is_dir) {
                break;
            }
            missing.push(dir.to_owned());
            ancestor = parent(dir);
        }
        for dir in missing {
            self.nodes.insert(dir, Node::dir(now));
        }
        self.nodes.insert(path.to_owned(), node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("/~/big/"), "/~/big");
        assert_eq!(normalize("~/godata"), "/~/godata");
        assert_eq!(normalize("godata/./x/../y"), "/~/godata/y");
        assert_eq!(normalize("/../.."), "/");
        assert_eq!(normalize("/"), "/");
    }

    #[test]
    fn lists_and_mutates() {
        let mut fs = Fs::seeded();
        let home: Vec<String> = fs.children("/~").into_iter().map(|(name, _)| name).collect();
        assert_eq!(home, [".hidden", "README.txt", "big", "godata"]);
        assert_eq!(fs.children("/~/big").len(), BIG_DIR_ENTRIES);
        assert_eq!(fs.children("/").len(), 2);
        assert_eq!(fs.mkdir("/~/new", 5), Ok(()));
        assert_eq!(fs.mkdir("/~/new", 5), Err(FsError::Exists));
        assert_eq!(fs.mkdir("/~/nope/x", 5), Err(FsError::ParentMissing));
        assert_eq!(fs.rename("/~/godata", "/~/new/moved"), Ok(()));
        assert!(fs.stat("/~/godata/file1.txt").is_none());
        assert!(fs.stat("/~/new/moved/file1.txt").is_some());
        assert_eq!(fs.rename("/~/new", "/~/new/inside"), Err(FsError::Invalid));
        assert_eq!(fs.rename("/~/missing", "/~/x"), Err(FsError::NotFound));
        assert_eq!(fs.subtree("/~/new").len(), 5);
        fs.put("/a/b/c.txt", Node::file(3, 9), 9);
        assert!(fs.stat("/a/b").is_some_and(|n| n.is_dir));
        fs.remove("/a");
        assert!(fs.stat("/a/b/c.txt").is_none() && fs.stat("/a").is_none());
    }
}
