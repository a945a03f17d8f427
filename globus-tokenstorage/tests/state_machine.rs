//! A proptest state machine: store / get / get-all / remove / reopen, in two namespaces,
//! against a `BTreeMap` model, for every backend. The RNG seed is fixed, so runs are
//! deterministic.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::Path;

use globus_tokenstorage::{JsonTokenStorage, MemoryTokenStorage, StoredToken, TokenStorage};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use serde_json::Value;

/// Both namespaces' contents.
#[derive(Debug, Clone, Default, PartialEq)]
struct Model {
    main: BTreeMap<String, StoredToken>,
    other: BTreeMap<String, StoredToken>,
}

#[derive(Debug, Clone)]
enum Transition {
    Store(Vec<StoredToken>),
    StoreOther(StoredToken),
    Get(String),
    GetAll,
    GetAllOther,
    Remove(String),
    Reopen,
}

fn resource_server() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-d]{1,2}",
        Just("auth.globus.org".to_owned()),
        Just("ü \"\\ \u{1}".to_owned()),
    ]
}

fn extra_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,6}".prop_map(Value::from),
        prop::collection::vec(any::<i32>(), 0..3).prop_map(Value::from),
    ]
}

fn stored_token(resource_server: impl Strategy<Value = String>) -> impl Strategy<Value = StoredToken> {
    (
        resource_server,
        prop::option::of("[0-9a-f-]{0,12}"),
        ".{0,12}",
        "\\PC{0,16}",
        prop::option::of("\\PC{0,16}"),
        any::<i64>(),
        prop::option::of(prop_oneof![Just("Bearer".to_owned()), ".{0,4}"]),
        prop::collection::btree_map("x[a-z]{0,3}", extra_value(), 0..3),
    )
        .prop_map(
            |(resource_server, identity_id, scope, access_token, refresh_token, expires, token_type, extra)| {
                let mut token = StoredToken::new(resource_server, scope, access_token, expires);
                token.identity_id = identity_id;
                token.refresh_token = refresh_token.map(Into::into);
                token.token_type = token_type;
                token.extra = extra.into_iter().collect();
                token
            },
        )
}

struct StorageModel;

impl ReferenceStateMachine for StorageModel {
    type State = Model;
    type Transition = Transition;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(_state: &Model) -> BoxedStrategy<Transition> {
        prop_oneof![
            4 => prop::collection::vec(stored_token(resource_server()), 0..4).prop_map(Transition::Store),
            1 => stored_token(resource_server()).prop_map(Transition::StoreOther),
            3 => resource_server().prop_map(Transition::Get),
            2 => Just(Transition::GetAll),
            1 => Just(Transition::GetAllOther),
            2 => resource_server().prop_map(Transition::Remove),
            1 => Just(Transition::Reopen),
        ]
        .boxed()
    }

    fn apply(mut state: Model, transition: &Transition) -> Model {
        match transition {
            Transition::Store(tokens) => {
                for token in tokens {
                    state.main.insert(token.resource_server.clone(), token.clone());
                }
            }
            Transition::StoreOther(token) => {
                state.other.insert(token.resource_server.clone(), token.clone());
            }
            Transition::Remove(resource_server) => {
                state.main.remove(resource_server);
            }
            Transition::Get(_) | Transition::GetAll | Transition::GetAllOther | Transition::Reopen => {}
        }
        state
    }
}

/// How to open a backend on some shared location.
trait Backend: 'static {
    /// The location, kept alive for the whole run.
    type Location;
    fn location() -> Self::Location;
    fn open(location: &Self::Location, namespace: &str) -> Box<dyn TokenStorage>;
}

struct Memory;
impl Backend for Memory {
    type Location = MemoryTokenStorage;
    fn location() -> MemoryTokenStorage {
        MemoryTokenStorage::new()
    }
    fn open(location: &MemoryTokenStorage, namespace: &str) -> Box<dyn TokenStorage> {
        Box::new(location.for_namespace(namespace))
    }
}

struct Json;
impl Backend for Json {
    type Location = tempfile::TempDir;
    fn location() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }
    fn open(location: &tempfile::TempDir, namespace: &str) -> Box<dyn TokenStorage> {
        Box::new(file(location.path(), "tokens.json", namespace))
    }
}

fn file(dir: &Path, name: &str, namespace: &str) -> JsonTokenStorage {
    JsonTokenStorage::builder(dir.join(name))
        .namespace(namespace)
        .open()
        .unwrap()
}

#[cfg(feature = "sqlite")]
struct Sqlite;
#[cfg(feature = "sqlite")]
impl Backend for Sqlite {
    type Location = tempfile::TempDir;
    fn location() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }
    fn open(location: &tempfile::TempDir, namespace: &str) -> Box<dyn TokenStorage> {
        Box::new(
            globus_tokenstorage::SqliteTokenStorage::builder(location.path().join("tokens.db"))
                .namespace(namespace)
                .open()
                .unwrap(),
        )
    }
}

struct Machine<B>(PhantomData<B>);

struct System<B: Backend> {
    location: B::Location,
    main: Box<dyn TokenStorage>,
    other: Box<dyn TokenStorage>,
    /// The model before the transition being applied.
    before: Model,
}

const OTHER_NAMESPACE: &str = "user-b";

impl<B: Backend> StateMachineTest for Machine<B> {
    type SystemUnderTest = System<B>;
    type Reference = StorageModel;

    fn init_test(_state: &Model) -> System<B> {
        let location = B::location();
        System {
            main: B::open(&location, "DEFAULT"),
            other: B::open(&location, OTHER_NAMESPACE),
            location,
            before: Model::default(),
        }
    }

    fn apply(mut system: System<B>, state: &Model, transition: Transition) -> System<B> {
        match transition {
            Transition::Store(tokens) => system.main.store_token_data_by_resource_server(&tokens).unwrap(),
            Transition::StoreOther(token) => system.other.store_token_data(&token).unwrap(),
            Transition::Get(resource_server) => assert_eq!(
                system.main.get_token_data(&resource_server).unwrap(),
                system.before.main.get(&resource_server).cloned()
            ),
            Transition::GetAll => assert_eq!(system.main.get_token_data_by_resource_server().unwrap(), state.main),
            Transition::GetAllOther => {
                assert_eq!(system.other.get_token_data_by_resource_server().unwrap(), state.other);
            }
            Transition::Remove(resource_server) => assert_eq!(
                system.main.remove_token_data(&resource_server).unwrap(),
                system.before.main.contains_key(&resource_server)
            ),
            Transition::Reopen => {
                system.main = B::open(&system.location, "DEFAULT");
                system.other = B::open(&system.location, OTHER_NAMESPACE);
            }
        }
        system.before = state.clone();
        system
    }

    fn teardown(system: System<B>, state: Model) {
        // Whatever happened, a fresh handle sees the model.
        let main = B::open(&system.location, "DEFAULT");
        assert_eq!(main.get_token_data_by_resource_server().unwrap(), state.main);
        let other = B::open(&system.location, OTHER_NAMESPACE);
        assert_eq!(other.get_token_data_by_resource_server().unwrap(), state.other);
    }
}

fn config() -> Config {
    Config {
        cases: 48,
        rng_seed: RngSeed::Fixed(0x676c_6f62_7573),
        failure_persistence: None,
        ..Config::default()
    }
}

prop_state_machine! {
    #![proptest_config(config())]

    #[test]
    fn memory_storage_matches_the_model(sequential 1..30 => Machine<Memory>);

    #[test]
    fn json_storage_matches_the_model(sequential 1..30 => Machine<Json>);
}

#[cfg(feature = "sqlite")]
prop_state_machine! {
    #![proptest_config(config())]

    #[test]
    fn sqlite_storage_matches_the_model(sequential 1..30 => Machine<Sqlite>);
}
