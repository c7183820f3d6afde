// V8 flags of the services that differ from Node's defaults; deploy/ repeats them per service.
// The publisher runs with a 64 MiB young-generation semi-space: a dispatch burst keeps about a thousand
// messages in flight, and a small young generation copies them collection after collection. Not the
// scheduler: no gain was measured there, and it holds a horizon of armed jobs, which a bigger young
// generation would copy in longer pauses. See docs/adr/005-dispatch-throughput.md.
module.exports = {
  publisher: ['--max-semi-space-size=64'],
};
