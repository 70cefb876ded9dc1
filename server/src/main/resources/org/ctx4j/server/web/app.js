'use strict';
// The ctx4j page: pick an image of the build, see its crop boxes and each box's top-k captions;
// upload an image for its live context. Plain browser JavaScript, no libraries, no network but
// this server.
(() => {
  const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6',
    '#bfef45', '#fabed4'];
  const PAGE = 50;
  const $ = (id) => document.getElementById(id);
  const state = { build: null, id: null, crop: 'whole', offset: 0, query: '', live: null, k: null };

  async function api(url, options) {
    const response = await fetch(url, options);
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.error || ('HTTP ' + response.status));
    }
    return body;
  }

  function showError(message) {
    const e = $('error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  function cropInfo(name) {
    return state.build.crops.find((c) => c.name === name);
  }

  function renderCropButtons() {
    const box = $('crops');
    box.replaceChildren();
    for (const c of state.build.crops) {
      const b = document.createElement('button');
      b.type = 'button';
      b.id = 'crop-' + c.name;
      b.textContent = c.name + ' (' + c.count + ')';
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', String(c.name === state.crop));
      b.addEventListener('click', () => { state.crop = c.name; renderCropButtons(); refresh(); });
      box.append(b);
    }
    const info = cropInfo(state.crop);
    $('k').max = info ? info.k : '';
  }

  async function loadIds() {
    const q = encodeURIComponent(state.query);
    const page = await api('/api/images?offset=' + state.offset + '&limit=' + PAGE + '&q=' + q);
    const list = $('ids');
    list.replaceChildren();
    for (const id of page.ids) {
      const li = document.createElement('li');
      li.textContent = id;
      li.dataset.id = id;
      li.className = id === state.id ? 'selected' : '';
      li.addEventListener('click', () => pick(id));
      list.append(li);
    }
    const last = Math.min(page.total, page.offset + page.ids.length);
    $('page-info').textContent = (page.total ? page.offset + 1 : 0) + '–' + last + ' of ' + page.total;
    $('prev').disabled = page.offset === 0;
    $('next').disabled = last >= page.total;
  }

  function pick(id) {
    state.id = id;
    state.live = null;
    for (const li of $('ids').children) {
      li.className = Number(li.dataset.id) === id ? 'selected' : '';
    }
    refresh();
  }

  async function refresh() {
    showError('');
    try {
      if (state.live) {
        const views = state.live.result.views.filter((v) => v.crop === state.crop)
          .map((v) => ({ ...v, captions: v.captions.slice(0, kValue()) }));
        draw(state.live.url, state.live.result.width, state.live.result.height, views);
      } else if (state.id !== null) {
        const ctx = await api('/api/images/' + state.id + '/context?crop=' + state.crop
          + '&k=' + kValue());
        $('source').textContent = 'image ' + state.id;
        const url = state.build.imageFiles ? '/api/images/' + state.id + '/file' : '';
        draw(url, ctx.width, ctx.height, ctx.views);
      }
    } catch (e) {
      showError(e.message);
    }
  }

  function kValue() {
    const info = cropInfo(state.crop);
    const k = Number($('k').value) || 1;
    return info ? Math.min(k, info.k) : k;
  }

  function draw(url, width, height, views) {
    const img = $('image');
    if (url) {
      img.src = url;
      img.alt = $('source').textContent;
    } else {
      img.removeAttribute('src');
    }
    const svg = $('boxes');
    svg.replaceChildren();
    if (width && height) {
      svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    }
    const unit = Math.max(width || 0, height || 0) / 40 || 1;
    const list = $('views');
    list.replaceChildren();
    views.forEach((v, i) => {
      const color = COLORS[i % COLORS.length];
      if (v.box) {
        const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
        r.setAttribute('x', v.box.left + 1);
        r.setAttribute('y', v.box.top + 1);
        r.setAttribute('width', Math.max(1, v.box.width - 2));
        r.setAttribute('height', Math.max(1, v.box.height - 2));
        r.setAttribute('stroke', color);
        r.classList.add('box');
        r.dataset.index = v.index;
        svg.append(r);
        const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
        t.setAttribute('x', v.box.left + unit);
        t.setAttribute('y', v.box.top + 3 * unit);
        t.setAttribute('font-size', 2.4 * unit);
        t.setAttribute('stroke-width', unit / 4);
        t.setAttribute('fill', color);
        t.textContent = String(v.index);
        svg.append(t);
      }
      const section = document.createElement('section');
      section.className = 'view';
      section.dataset.index = v.index;
      section.style.borderLeftColor = color;
      const h = document.createElement('h3');
      h.textContent = v.crop + ' ' + v.index;
      section.append(h);
      const ol = document.createElement('ol');
      for (const c of v.captions) {
        const li = document.createElement('li');
        li.className = 'caption';
        const text = document.createElement('span');
        text.className = 'text';
        text.textContent = c.text;
        const score = document.createElement('span');
        score.className = 'score';
        score.textContent = c.score.toFixed(4);
        li.append(text, score);
        ol.append(li);
      }
      section.append(ol);
      section.addEventListener('click', () => highlight(v.index));
      list.append(section);
    });
  }

  function highlight(index) {
    for (const el of document.querySelectorAll('#boxes rect, #views .view')) {
      el.classList.toggle('active', Number(el.dataset.index) === index);
    }
  }

  async function upload(file) {
    showError('');
    if (!state.build.live) {
      showError('live context needs a model: start the server with --model');
      return;
    }
    $('source').textContent = 'uploading ' + file.name + '…';
    try {
      const result = await api('/api/live?name=' + encodeURIComponent(file.name), {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file,
      });
      if (state.live) {
        URL.revokeObjectURL(state.live.url);
      }
      state.live = { url: URL.createObjectURL(file), result };
      $('source').textContent = 'uploaded ' + file.name + ' (live)';
      for (const li of $('ids').children) {
        li.className = '';
      }
      refresh();
    } catch (e) {
      $('source').textContent = 'upload failed';
      showError(e.message);
    }
  }

  async function start() {
    try {
      state.build = await api('/api/build');
    } catch (e) {
      showError(e.message);
      return;
    }
    const b = state.build;
    $('build-info').textContent = b.file + ': ' + b.images + ' images, crops '
      + b.crops.map((c) => c.name + ' k=' + c.k).join(', ');
    $('live-note').textContent = b.live ? '' : 'started without a model: no live context';
    $('upload').disabled = !b.live;
    state.crop = b.crops.some((c) => c.name === 'whole') ? 'whole' : b.crops[0].name;
    $('k').value = Math.min(5, cropInfo(state.crop).k);
    renderCropButtons();
    $('search').addEventListener('input', () => {
      state.query = $('search').value.trim();
      state.offset = 0;
      loadIds().catch((e) => showError(e.message));
    });
    $('search').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && /^\d+$/.test(state.query)) {
        pick(Number(state.query));
      }
    });
    $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); loadIds(); });
    $('next').addEventListener('click', () => { state.offset += PAGE; loadIds(); });
    $('k').addEventListener('change', refresh);
    $('upload').addEventListener('change', () => {
      const f = $('upload').files[0];
      if (f) {
        upload(f);
      }
    });
    await loadIds();
    document.body.dataset.ready = 'true';
  }

  start();
})();
