/** The index page's fixed markup. It holds no data: the script fills it in with text nodes only. */
export const INDEX_BODY = `<header>
  <h1>memgate report <span id="title-dir"></span></h1>
  <p id="note" class="note"></p>
</header>
<main>
<section aria-labelledby="tests-title">
  <div class="bar">
    <h2 id="tests-title">Measured tests</h2>
    <label><input type="checkbox" id="over-only"> Only tests over a limit</label>
    <input type="search" id="filter" placeholder="Filter by test or file" aria-label="Filter by test or file">
    <span id="shown" class="note"></span>
  </div>
  <table id="tests">
    <thead><tr>
      <th scope="col"><button type="button" data-sort="name">Test</button></th>
      <th scope="col" class="num"><button type="button" data-sort="peak">Peak</button></th>
      <th scope="col" class="num"><button type="button" data-sort="allocated">Allocated</button></th>
      <th scope="col" class="num"><button type="button" data-sort="leaked">Leaked</button></th>
      <th scope="col">Limit</th>
      <th scope="col"><button type="button" data-sort="verdict">Verdict</button></th>
      <th scope="col">Top allocating function</th>
      <th scope="col">Flamegraph</th>
    </tr></thead>
    <tbody></tbody>
  </table>
  <p class="note">Peak: the most memory (JS heap + external) the test body held at once above its start.
    Allocated: bytes allocated on the JS heap during the body, freed or not. Leaked: memory still reachable
    after the body, after a full GC. A flamegraph is written for each test that failed over its limit.</p>
</section>
<section id="others-section" aria-labelledby="others-title" hidden>
  <h2 id="others-title">Other heap profiles in this folder</h2>
  <p class="note">Tests not in summary.json, or whose profile is from an earlier run (memgate never deletes
    profiles: a test that now passes keeps the one from when it failed).</p>
  <ul id="others"></ul>
</section>
</main>`
