// V8 flags of the services that differ from Node's defaults; deploy/ repeats them per service.
// The publisher runs with a 64 MiB young-generation semi-space: a dispatch burst keeps about a thousand
// messages in flight, and a small young generation copies them collection after collection. Not the
// scheduler: it holds a horizon of armed jobs, which a bigger young generation copies in longer pauses
// (its lateness p99 rose from ~15 to ~30 ms). See docs/adr/005-dispatch-throughput.md.
module.exports = {
  publisher: ['--max-semi-space-size=64'],
};
