//! The in-memory Transfer data: endpoints, their filesystems, tasks and submission ids.

use std::collections::HashMap;

use crate::registry::User;
use crate::transfer::endpoints::{self, Endpoint};
use crate::transfer::fs::Fs;
use crate::transfer::tasks::Task;

/// Everything Transfer knows.
#[derive(Debug, Clone)]
pub(crate) struct TransferStore {
    pub(crate) endpoints: Vec<Endpoint>,
    /// Filesystems by endpoint id, seeded on first use.
    pub(crate) filesystems: HashMap<String, Fs>,
    /// Tasks in submission order.
    pub(crate) tasks: Vec<Task>,
    /// Task id by submission id (for deduplication).
    pub(crate) submissions: HashMap<String, String>,
}

impl TransferStore {
    /// The seeded endpoints (some owned by `user`), no tasks.
    pub(crate) fn seeded(user: &User) -> Self {
        Self {
            endpoints: endpoints::seed(user),
            filesystems: HashMap::new(),
            tasks: Vec::new(),
            submissions: HashMap::new(),
        }
    }

    /// An endpoint by id.
    pub(crate) fn endpoint(&self, id: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.id == id)
    }

    /// The filesystem of a known endpoint (seeded on first use).
    pub(crate) fn fs_mut(&mut self, id: &str) -> Option<&mut Fs> {
        self.endpoint(id)?;
        Some(self.filesystems.entry(id.to_owned()).or_insert_with(Fs::seeded))
    }

    /// Completes every task whose time has come, in submission order.
    pub(crate) fn settle(&mut self, now: u64) {
        for task in &mut self.tasks {
            task.settle(now, &mut self.filesystems);
        }
    }

    /// A task owned by `owner_id`.
    pub(crate) fn task_mut(&mut self, id: &str, owner_id: &str) -> Option<&mut Task> {
        self.tasks.iter_mut().find(|t| t.id == id && t.owner_id == owner_id)
    }
}
