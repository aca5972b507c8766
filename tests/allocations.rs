//! Reading a context into one already used allocates nothing once its
//! buffers have grown, from JSON or from the compact form the JS shim
//! writes: what lets the wasm bindings' context slab serve a context per
//! request without touching the allocator (JSON strings with escapes still
//! allocate one String each while unescaping). Counted with a global
//! allocator that counts, so this file holds this one test.

use edgeflag::eval::context::compact::{END, OBJECT, STRING, TAG_BITS};
use edgeflag::Context;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn reading_into_a_used_context_allocates_nothing() {
    let requests = [
        r#"{"targetingKey":"user-123","tier":"premium","country":"DE","app":{"version":"2.4.1"},"email":"jo@example.org"}"#,
        r#"{"targetingKey":"user-9","tier":"basic","tags":["a","b",{"deep":[1,2.5,true,null]}]}"#,
        r#"{"targetingKey":42}"#,
    ];
    let string = |s: &str| STRING | (s.len() as u32) << TAG_BITS;
    let compact_text = "targetingKeyuser-123appversion2.4.1";
    let compact_words =
        [OBJECT, string("targetingKey"), string("user-123"), string("app"), OBJECT, string("version"), string("2.4.1"), END, END];
    let mut context = Context::new();
    for text in requests {
        context.read_json(text).unwrap();
    }
    context.read_compact(compact_text, &compact_words).unwrap();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for round in 0..100 {
        context.read_json(requests[round % requests.len()]).unwrap();
        context.read_compact(compact_text, &compact_words).unwrap();
    }
    assert_eq!(ALLOCATIONS.load(Ordering::Relaxed) - before, 0);
}
