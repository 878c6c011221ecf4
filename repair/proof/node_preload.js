// Loaded into jsii's Node.js runtime of the synth worker (NODE_OPTIONS=--require, set only while the worker starts
// it; repair/proof/synth.py). cdktf's archiveSync (an ARCHIVE TerraformAsset, zipped at synthesis) starts a new
// Node.js process for each archive (`node lib/private/fs.js SRC DEST`: archiver is asynchronous), ~0.3 s each. This
// replaces it, in cdktf's own module object, with a synchronous zip written here: the same files (every file under
// SRC, dot files included, paths relative to it), deflated, the same error when it fails. The Terraform JSON is
// unchanged: the asset's path and hash come from hashPath, not from the archive.
"use strict";
const Module = require("module");
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

let CRC_TABLE = null;

function crc32(data) {
  if (CRC_TABLE === null) {
    CRC_TABLE = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function dosTime(date) {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
  const day = ((Math.max(date.getFullYear(), 1980) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return [time, day];
}

function entries(src) {
  const found = [];
  (function walk(relative) {
    const folder = path.join(src, relative);
    for (const name of fs.readdirSync(folder).sort()) {
      const child = path.join(relative, name);
      const stat = fs.statSync(path.join(src, child));
      if (stat.isDirectory()) {
        found.push({ name: child.split(path.sep).join("/") + "/", stat, folder: true });
        walk(child);
      } else if (stat.isFile()) {
        found.push({ name: child.split(path.sep).join("/"), stat, folder: false });
      }
    }
  })("");
  return found;
}

function zipSync(src, dest) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const entry of entries(src)) {
    const name = Buffer.from(entry.name, "utf8");
    const raw = entry.folder ? Buffer.alloc(0) : fs.readFileSync(path.join(src, entry.name));
    const data = entry.folder ? raw : zlib.deflateRawSync(raw, { level: 9 });
    const crc = entry.folder ? 0 : crc32(raw);
    const method = entry.folder ? 0 : 8;
    const [time, day] = dosTime(entry.stat.mtime);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(day, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(raw.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(((entry.stat.mode & 0xffff) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(dest, Buffer.concat([...parts, directory, end]));
}

function patch(exports, filename) {
  const errors = require(path.join(path.dirname(filename), "..", "errors"));
  exports.archiveSync = function archiveSync(src, dest) {
    try {
      zipSync(src, dest);
    } catch (err) {
      throw errors.assetCanNotCreateZipArchive(src, dest, err);
    }
  };
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const exports = originalLoad.apply(this, arguments);
  if (request === "./private/fs" && parent && /[\\/]cdktf[\\/]/.test(parent.filename) && exports
      && typeof exports.archiveSync === "function" && typeof exports.hashPath === "function") {
    patch(exports, Module._resolveFilename(request, parent, isMain));
    Module._load = originalLoad; // cdktf loads it once
  }
  return exports;
};

module.exports = { zipSync };
