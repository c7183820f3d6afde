// V8 flags of the services that differ from Node's defaults; deploy/ repeats them per service (a spec in
// libs/config checks that it does). See docs/adr/005-dispatch-throughput.md, addenda 2 and 3.
// - publisher: a 64 MiB young-generation semi-space. A dispatch burst keeps about a thousand messages in
//   flight, and a small young generation copies them collection after collection.
// - scheduler: the old generation may grow to twice its live size before a full collection. It holds a
//   horizon of armed jobs; each dies old, and V8's own growing factor settled near 1.2 in a steady stream,
//   so a full collection (5-40 ms pauses) ran every ~2 s and set the spread's lateness tail. Its young
//   generation keeps the default: 64 MiB made each scavenge copy more armed jobs (p50 4 -> 10 ms).
module.exports = {
  publisher: ['--max-semi-space-size=64'],
  scheduler: ['--heap-growing-percent=100'],
};
