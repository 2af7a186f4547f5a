// Draws the app's icons and its notification sound into public/ (committed; run again after
// changing the drawing): the install icons the manifest names (192, 512, a maskable 512 whose
// bubble stays inside the safe zone), an Apple touch icon, the favicon and the favicon with an
// unread dot, and a short two-note chime as a 16-bit PCM WAV. No fonts: every shape is a path,
// so the PNGs come out the same on any machine.
//
//   node scripts/generate-app-assets.mjs
import { Buffer } from 'node:buffer';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const root = path.resolve(import.meta.dirname, '..');
const out = (...parts) => path.join(root, 'public', ...parts);

const INDIGO = '#4f46e5';
const INDIGO_DARK = '#3730a3';
const UNREAD = '#ef4444';

/**
 * A chat bubble with three dots on an indigo tile, in a 512 box. `inset` shrinks the bubble toward
 * the centre (maskable icons: the launcher may cut everything outside the middle 80%);
 * `rounded` gives the tile its own rounded corners (for places that show the icon as is).
 */
function iconSvg({ inset = 0, rounded = true, dot = false } = {}) {
  const scale = 1 - inset;
  const offset = (512 * inset) / 2;
  const tile = rounded ? '<rect width="512" height="512" rx="112" fill="url(#bg)"/>' : '<rect width="512" height="512" fill="url(#bg)"/>';
  const unread = dot ? `<circle cx="400" cy="112" r="104" fill="${UNREAD}" stroke="#ffffff" stroke-width="24"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${INDIGO}"/><stop offset="1" stop-color="${INDIGO_DARK}"/></linearGradient></defs>
  ${tile}
  <g transform="translate(${offset} ${offset}) scale(${scale})">
    <path d="M136 120h240a56 56 0 0 1 56 56v136a56 56 0 0 1-56 56H240l-88 64v-64h-16a56 56 0 0 1-56-56V176a56 56 0 0 1 56-56z" fill="#ffffff"/>
    <circle cx="184" cy="244" r="28" fill="${INDIGO}"/>
    <circle cx="256" cy="244" r="28" fill="${INDIGO}"/>
    <circle cx="328" cy="244" r="28" fill="${INDIGO}"/>
  </g>
  ${unread}
</svg>`;
}

async function png(svg, size, file) {
  await sharp(Buffer.from(svg), { density: 72 * (size / 512) * 2 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(out('icons', file));
}

/** Two soft sine notes (E6 then A6) with quick attack and decay: short, and not shrill. */
function chimeWav({ sampleRate = 22050 } = {}) {
  const notes = [
    { frequency: 1318.5, start: 0, length: 0.14 },
    { frequency: 1760, start: 0.09, length: 0.22 },
  ];
  const seconds = 0.34;
  const samples = Math.round(sampleRate * seconds);
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = i / sampleRate;
    let value = 0;
    for (const note of notes) {
      const local = t - note.start;
      if (local < 0 || local > note.length) continue;
      const attack = Math.min(1, local / 0.008);
      const decay = Math.exp((-5 * local) / note.length);
      value += Math.sin(2 * Math.PI * note.frequency * local) * attack * decay;
    }
    pcm[i] = Math.round(Math.max(-1, Math.min(1, value * 0.35)) * 32767);
  }
  const data = Buffer.from(pcm.buffer);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

await mkdir(out('icons'), { recursive: true });
await mkdir(out('sounds'), { recursive: true });
await writeFile(out('icons', 'icon.svg'), iconSvg());
await png(iconSvg(), 192, 'icon-192.png');
await png(iconSvg(), 512, 'icon-512.png');
await png(iconSvg({ inset: 0.2, rounded: false }), 512, 'icon-maskable-512.png');
await png(iconSvg({ rounded: false }), 180, 'apple-touch-icon.png');
await png(iconSvg(), 32, 'favicon-32.png');
await png(iconSvg({ dot: true }), 32, 'favicon-unread-32.png');
await writeFile(out('sounds', 'notification.wav'), chimeWav());
console.log('public/icons and public/sounds written');
