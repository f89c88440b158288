/**
 * A self-contained API reference (no CDN: the deployment may be offline). The script is served as its
 * own file because the security headers forbid inline scripts.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>融媒社区 API 参考</title>
<style>
  body { font: 14px/1.6 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { background: #c8161d; color: #fff; padding: 16px 24px; }
  header h1 { margin: 0; font-size: 20px; }
  header p { margin: 4px 0 0; opacity: .9; }
  main { max-width: 1000px; margin: 0 auto; padding: 16px 24px 48px; }
  h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; }
  details { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 8px 0; }
  summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: center; }
  .m { font: bold 12px monospace; color: #fff; border-radius: 4px; padding: 2px 8px; min-width: 48px; text-align: center; }
  .get { background: #1f6feb; } .post { background: #1a7f37; } .put, .patch { background: #9a6700; } .delete { background: #cf222e; }
  code, pre { font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
  .body { padding: 0 16px 12px; }
  pre { background: #f6f8fa; padding: 8px; border-radius: 4px; overflow: auto; max-height: 400px; }
  table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
  .lock { color: #9a6700; }
</style>
</head>
<body>
<header><h1>融媒社区 API 参考</h1><p>由 <a style="color:#fff" href="/api/openapi.json">/api/openapi.json</a> 生成 · 错误格式 { error: { code, message, details? } }</p></header>
<main id="root">加载中…</main>
<script src="/api/docs/docs.js"></script>
</body>
</html>
`;

export const DOCS_SCRIPT = `(function () {
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function schemaBlock(title, schema) {
    return el('div', {}, [el('strong', {}, [title]), el('pre', {}, [JSON.stringify(schema, null, 2)])]);
  }
  function render(spec) {
    var root = document.getElementById('root');
    root.textContent = '';
    var byTag = {};
    Object.keys(spec.paths).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method];
        var tag = (op.tags && op.tags[0]) || 'misc';
        (byTag[tag] = byTag[tag] || []).push({ path: path, method: method, op: op });
      });
    });
    Object.keys(byTag).sort().forEach(function (tag) {
      root.append(el('h2', {}, [tag]));
      byTag[tag].forEach(function (entry) {
        var op = entry.op;
        var body = el('div', { class: 'body' }, []);
        if (op.parameters && op.parameters.length) {
          var table = el('table', {}, [el('tr', {}, [el('th', {}, ['参数']), el('th', {}, ['位置']), el('th', {}, ['必填']), el('th', {}, ['类型'])])]);
          op.parameters.forEach(function (p) {
            table.append(el('tr', {}, [el('td', {}, [el('code', {}, [p.name])]), el('td', {}, [p.in]), el('td', {}, [p.required ? '是' : '否']), el('td', {}, [JSON.stringify(p.schema)])]));
          });
          body.append(table);
        }
        if (op.requestBody) body.append(schemaBlock('请求体', op.requestBody.content['application/json'].schema));
        Object.keys(op.responses).forEach(function (status) {
          var r = op.responses[status];
          if (r.content) body.append(schemaBlock('响应 ' + status, r.content['application/json'].schema));
        });
        var line = el('summary', {}, [el('span', { class: 'm ' + entry.method }, [entry.method.toUpperCase()]), el('code', {}, [entry.path]), op.summary || '']);
        if (op.security) line.append(el('span', { class: 'lock', title: '需要登录' }, ['🔒']));
        root.append(el('details', {}, [line, body]));
      });
    });
  }
  fetch('/api/openapi.json').then(function (r) { return r.json(); }).then(render, function (e) {
    document.getElementById('root').textContent = '无法加载接口文档：' + e;
  });
})();
`;
