// The peer a user would write by hand: a small Node.js HTTP server calling onnxruntime-node.
// POST / with the raw little-endian FP32 elements of the model's single input (shape in the
// X-Shape header) answers the first output's raw elements. Same contract as Serval's /fn/{name}.
//   node server.js MODEL PORT [INTRA_OP_THREADS]
'use strict';
const http = require('http');
const path = require('path');
const ort = require(path.join(__dirname, '../../../.deps/node_modules/onnxruntime-node'));

const [modelPath, port, threads] = [process.argv[2], Number(process.argv[3] || 8090), Number(process.argv[4] || 1)];

async function main() {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = Buffer.concat(chunks);
        const shape = String(req.headers['x-shape']).split(',').map(Number);
        const data = new Float32Array(body.buffer, body.byteOffset, body.byteLength / 4);
        const out = await session.run({ [inputName]: new ort.Tensor('float32', data, shape) });
        const t = out[outputName];
        const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'X-Shape': t.dims.join(','), 'Content-Length': bytes.length });
        res.end(bytes);
      } catch (e) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: String(e) }));
      }
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(port, '127.0.0.1', () => console.log(`peer ready on ${port}`));
}
main().catch((e) => { console.error(e); process.exit(1); });
