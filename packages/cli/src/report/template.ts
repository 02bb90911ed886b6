/** The page's fixed markup. It holds no data: the script fills it in with text nodes only. */
export const BODY = `<header>
  <a id="back" href="#" hidden>← All tests</a>
  <h1>memgate <span id="title-script"></span></h1>
</header>
<main>
<section id="stats" aria-labelledby="stats-title">
  <h2 id="stats-title">Run</h2>
  <dl id="stats-list"></dl>
</section>
<section id="memory" aria-labelledby="memory-title" hidden>
  <div class="bar">
    <h2 id="memory-title">Memory over time</h2>
    <span class="legend"><i class="swatch heap"></i>JS heap above start <i class="swatch external"></i>external
      above start <i class="swatch rss"></i>RSS above start (whole process)</span>
    <button type="button" id="csv">Download CSV</button>
  </div>
  <svg id="chart" role="img" aria-label="Memory over time"></svg>
  <p id="chart-readout" class="readout"></p>
</section>
<section id="flame" aria-labelledby="flame-title">
  <div class="bar">
    <h2 id="flame-title">Allocation stacks</h2>
    <span class="group" role="group" aria-label="Profile">
      <span id="allocated-wrap"><button type="button" id="view-allocated" aria-pressed="true">Allocated during the run</button></span>
      <span id="retained-wrap"><button type="button" id="view-retained" aria-pressed="false">Still held at the end</button></span>
    </span>
    <span class="group" role="group" aria-label="Orientation">
      <button type="button" id="mode-flames" aria-pressed="true">Flames</button>
      <button type="button" id="mode-icicles" aria-pressed="false">Icicles</button>
    </span>
    <label><input type="checkbox" id="hide-internal" checked> Hide Node, Vitest and memgate internals</label>
  </div>
  <div class="bar">
    <input type="search" id="search" placeholder="Search functions and files" aria-label="Search functions and files">
    <span id="search-result" class="readout"></span>
    <button type="button" id="reset">Reset zoom</button>
    <nav id="crumbs" aria-label="Zoomed into"></nav>
  </div>
  <div id="flame-box"><svg id="flamegraph" role="img" aria-label="Flamegraph of allocation stacks"></svg></div>
  <p class="hint">Click a frame to zoom into it; hover for details. Widths are bytes sampled by V8's heap profiler.</p>
</section>
</main>
<div id="tooltip" role="tooltip" hidden></div>`
