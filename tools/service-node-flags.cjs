// V8 flags the scheduler and publisher run with (embedded mode carries both; deploy/ repeats them per
// service). A 64 MiB young-generation semi-space keeps a dispatch burst's in-flight messages from being
// copied by collection after collection: see docs/adr/005-dispatch-throughput.md.
module.exports = ['--max-semi-space-size=64'];
