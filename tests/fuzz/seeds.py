#!/usr/bin/env python3
"""seeds.py - seed inputs for the fuzz targets, cut out of capture files.

    python3 tests/fuzz/seeds.py shared CORPUS OUTDIR
        seeds from the public corpus (../shared/corpus) into OUTDIR/NAME/,
        for tests/fuzz/run.sh (kept in build-fuzz/, never committed):
        capture files up to 64 KiB (symlinks) for the reader, and protocol
        payloads (DNS, DHCP, QUIC datagrams, TLS first client bytes, HTTP
        streams as fuzz-http operations, frame sequences for fuzz-decode).
    python3 tests/fuzz/seeds.py pcap FILE... OUTDIR
        the same cut from the given captures (e.g. iotap-synth's home.pcap),
        a few per target, for the committed tests/fuzz/corpus/.
    python3 tests/fuzz/seeds.py handmade PCAP OUTDIR
        small hand-made seeds: PCAP's first packets in every capture format
        and framing (capture, recover), configuration and sidecar YAML,
        encoded bodies (httpbody), a TCP session (reasm), QUIC frames.

Plain classic pcap / pcapng reading and Ethernet/SLL/raw IP decoding, just
enough to find payloads; anything odd is skipped (the corpus is hostile, but
this only picks seeds: the real parsers are what gets fuzzed).
"""
import hashlib
import os
import struct
import sys


def read_packets(path):
    """(linktype, bytes) of each packet of a classic pcap or pcapng file."""
    try:
        with open(path, 'rb') as f:
            data = f.read(8 << 20)
    except OSError:
        return
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '<' if magic[0] in (0xd4, 0x4d) else '>'
        link = struct.unpack(e + 'I', data[20:24])[0] & 0xffff
        off = 24
        while off + 16 <= len(data):
            caplen = struct.unpack(e + 'I', data[off + 8:off + 12])[0]
            if caplen > 262144 or off + 16 + caplen > len(data):
                return
            yield link, data[off + 16:off + 16 + caplen]
            off += 16 + caplen
    elif magic == b'\x0a\x0d\x0d\x0a':
        off, e, links = 0, '<', []
        while off + 12 <= len(data):
            btype = struct.unpack(e + 'I', data[off:off + 4])[0]
            if btype == 0x0a0d0d0a:
                e = '<' if data[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
                links = []
            blen = struct.unpack(e + 'I', data[off + 4:off + 8])[0]
            if blen < 12 or off + blen > len(data):
                return
            body = data[off + 8:off + blen - 4]
            if btype == 1 and len(body) >= 2:
                links.append(struct.unpack(e + 'H', body[:2])[0])
            elif btype == 6 and len(body) >= 20:
                ifid, _, _, caplen = struct.unpack(e + 'IIII', body[:16])
                if ifid < len(links):
                    yield links[ifid], body[20:20 + caplen]
            elif btype == 3 and len(body) >= 4 and links:
                yield links[0], body[4:]
            off += blen


def layers(link, p):
    """(proto, sport, dport, payload, ip header offset) or None."""
    off, et = 0, None
    if link == 1:
        if len(p) < 14:
            return None
        et, off = struct.unpack('>H', p[12:14])[0], 14
        while et in (0x8100, 0x88a8) and len(p) >= off + 4:
            et, off = struct.unpack('>H', p[off + 2:off + 4])[0], off + 4
    elif link == 113:
        if len(p) < 16:
            return None
        et, off = struct.unpack('>H', p[14:16])[0], 16
    elif link == 276:
        if len(p) < 20:
            return None
        et, off = struct.unpack('>H', p[0:2])[0], 20
    elif link in (101, 12, 228, 229):
        et = 0x0800 if p and p[0] >> 4 == 4 else 0x86dd
    elif link == 0:
        off = 4
        et = 0x0800 if len(p) > 4 and p[4] >> 4 == 4 else 0x86dd
    else:
        return None
    ip = off
    if et == 0x0800 and len(p) >= off + 20 and p[off] >> 4 == 4:
        ihl = (p[off] & 15) * 4
        if ihl < 20 or struct.unpack('>H', p[off + 6:off + 8])[0] & 0x1fff:
            return None
        proto, total = p[off + 9], struct.unpack('>H', p[off + 2:off + 4])[0]
        end = min(len(p), off + total) if total >= ihl else len(p)
        off += ihl
    elif et == 0x86dd and len(p) >= off + 40:
        proto, end = p[off + 6], min(len(p), off + 40 + struct.unpack('>H', p[off + 4:off + 6])[0])
        off += 40
    else:
        return None
    if proto == 17 and end >= off + 8:
        sport, dport = struct.unpack('>HH', p[off:off + 4])
        return 17, sport, dport, p[off + 8:end], ip
    if proto == 6 and end >= off + 20:
        sport, dport, seq = struct.unpack('>HHI', p[off:off + 8])
        doff = (p[off + 12] >> 4) * 4
        if doff < 20:
            return None
        return 6, sport, dport, p[off + doff:end], (ip, seq, p[off + 13])
    return None


class Out:
    """Writes seeds named by their hash, at most `limit` per target."""

    def __init__(self, root, limit):
        self.root, self.limit, self.count = root, limit, {}

    def put(self, name, data, maxlen=8192):
        if not data or len(data) > maxlen or self.count.get(name, 0) >= self.limit:
            return
        d = os.path.join(self.root, name)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, hashlib.sha1(data).hexdigest()[:16])
        if not os.path.exists(path):
            with open(path, 'wb') as f:
                f.write(data)
            self.count[name] = self.count.get(name, 0) + 1


LINK_SEL = {1: 0, 101: 1, 113: 2, 276: 3, 0: 4, 228: 5, 229: 6}


def cut(path, out):
    frames = []
    web = []        # frames of TCP port 80/8080/8000 packets, for fuzz-session
    streams = {}    # (src, dst ports+ip) -> list of (dir, bytes) for HTTP
    firsts = set()
    for link, p in read_packets(path):
        if link in LINK_SEL and len(frames) < 64 and len(p) < 4096:
            frames.append(struct.pack('>BBH', LINK_SEL[link], 1, len(p)) + p)
        lay = layers(link, p)
        if not lay:
            continue
        proto, sport, dport, pay, extra = lay
        if proto == 6 and {sport, dport} & {80, 8080, 8000} and link in LINK_SEL and len(p) < 4096:
            web.append(struct.pack('>BBH', LINK_SEL[link], 1, len(p)) + p)
        if not pay:
            continue
        if proto == 17:
            if 53 in (sport, dport) or 5353 in (sport, dport):
                out.put('dns', pay)
            elif {sport, dport} & {67, 68}:
                out.put('dhcp', pay)
            elif dport == 443 and pay[0] & 0xc0 == 0xc0:
                out.put('quic', b'\x01' + b'\x00' + struct.pack('>H', len(pay)) + pay)
        elif proto == 6:
            key = (sport, dport) if sport > dport else (dport, sport)
            if pay[:1] == b'\x16' and len(pay) >= 5 and key not in firsts:
                firsts.add(key)
                out.put('tls', pay)
                hs = pay[5:5 + struct.unpack('>H', pay[3:5])[0]]
                if 0 < len(hs) < 16000:
                    # The hello as QUIC CRYPTO frames in two Initials, second half first.
                    h = len(hs) // 2
                    f2 = b'\x06' + struct.pack('>HH', 0x4000 | h, 0x4000 | (len(hs) - h)) + hs[h:]
                    f1 = b'\x06\x00' + struct.pack('>H', 0x4000 | h) + hs[:h]
                    out.put('quic', b'\x00' + struct.pack('>BH', 1, len(f2)) + f2
                            + struct.pack('>BH', 1 | 4, len(f1)) + f1)
                out.put('hello', b'\x00' + struct.pack('>BHB', 0x18, 0, min(len(pay), 255)) + pay[:255])
            if 80 in (sport, dport) or 8080 in (sport, dport) or 8000 in (sport, dport):
                d = 0 if dport in (80, 8080, 8000) else 1
                s = streams.setdefault(key, [])
                if sum(len(b) for _, b in s) < 6000:
                    s.append((d, pay))
    if frames:
        out.put('decode', b''.join(frames)[:8192])
        # fuzz-report: [kind][filter] + frames, for each report kind.
        for kind in range(6):
            out.put('report', bytes([kind, 0]) + b''.join(frames)[:12000], 16384)
    seq = b''
    for fr in web:
        if len(seq) + len(fr) > 16384:
            break
        seq += fr
    out.put('session', seq, 16384)
    for s in streams.values():
        ops = b'\x00' + b''.join(struct.pack('>BH', d, len(b)) + b for d, b in s)
        out.put('http', ops[:8192])


def pcap_bytes(pkts, big=False, nsec=False, link=1):
    e = '>' if big else '<'
    h = struct.pack(e + 'IHHiIII', 0xa1b23c4d if nsec else 0xa1b2c3d4, 2, 4, 0, 0, 262144, link)
    for i, p in enumerate(pkts):
        h += struct.pack(e + 'IIII', 1764000000 + i, 1000 * i, len(p), len(p)) + p
    return h


def pcapng_bytes(pkts, link=1):
    def block(t, body):
        body += b'\0' * (-len(body) % 4)
        n = len(body) + 12
        return struct.pack('<II', t, n) + body + struct.pack('<I', n)
    out = block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1))
    out += block(1, struct.pack('<HHI', link, 0, 262144))
    for i, p in enumerate(pkts):
        ts = (1764000000 + i) * 1000000
        out += block(6, struct.pack('<IIIII', 0, ts >> 32, ts & 0xffffffff, len(p), len(p)) + p)
    return out


def zstd(data):
    import subprocess
    return subprocess.run(['zstd', '-q', '-c', '-1'], input=data, stdout=subprocess.PIPE, check=True).stdout


def handmade(pcap, dst):
    import gzip
    import zlib
    pkts = [p for _, p in read_packets(pcap)][:6]
    plain = pcap_bytes(pkts)

    def put(name, fname, data):
        os.makedirs(os.path.join(dst, name), exist_ok=True)
        with open(os.path.join(dst, name, fname), 'wb') as f:
            f.write(data)
    put('capture', 'le-usec.pcap', plain)
    put('capture', 'be-nsec.pcap', pcap_bytes(pkts, big=True, nsec=True))
    put('capture', 'two.pcap', plain + pcap_bytes(pkts[:2], nsec=True))
    put('capture', 'raw.pcapng', pcapng_bytes(pkts))
    put('capture', 'le.pcap.zst', zstd(plain))
    put('capture', 'two-frames.pcap.zst', zstd(plain[:100]) + zstd(plain[100:]))
    put('capture', 'le.pcap.gz', gzip.compress(plain, mtime=0))
    put('capture', 'ng.pcapng.gz', gzip.compress(pcapng_bytes(pkts), mtime=0))
    put('recover', 'whole', b'\xff\xff' + plain)
    put('recover', 'cut', struct.pack('>H', 0x100 + len(zstd(plain)) * 2 // 3) + plain)
    put('recover', 'nsec', b'\xff\xff' + pcap_bytes(pkts, nsec=True))
    put('config', 'full.yaml', b"""record:
  interface: wlan0
  root: /var/lib/iotap
  sensor: pi-home
  snaplen: 262144
  promisc: true
  buffer_size: 4M
  rotate_size: 64M
  rotate_seconds: 3600
  flush_seconds: 2
  level: 3
  user: iotap
  filter: "not port 22"
  max_bytes: 20G
  min_free: 1G
  slice_encrypted: 0
devices:
  "44:65:0d:12:34:56": kitchen-echo
  b8-27-eb-00-00-02: tv
lan: [192.168.1.0/24, "2001:db8:1::/64"]
router: "b8:27:eb:00:00:01"
geoip:
  country: /usr/share/GeoIP/GeoLite2-Country.mmdb
  asn: /usr/share/GeoIP/GeoLite2-ASN.mmdb
""")
    put('config', 'flow.yaml', b'{lan: [10.0.0.0/8], devices: {"aa:bb:cc:dd:ee:ff": x}, record: {level: 19}}\n')
    put('config', 'anchors.yaml', b'lan: &a [fd00::/8]\nrecord: &r\n  sensor: s\n---\nlan: *a\n')
    put('sidecar', 'segment.yaml', b"""file: pi-home-20261125T055000Z-000042.pcap.zst
sensor: pi-home
interface: wlan0
source: live
linktype: 1
snaplen: 262144
filter: "not port 22"
sequence: 42
opened: 2026-11-25T05:50:00.000000Z
closed: 2026-11-25T06:50:00.000000Z
first_packet: 2026-11-25T05:50:00.125000Z
last_packet: ~
packets: 1200
bytes: 800000
captured_bytes: 790000
compressed_bytes: 300000
kernel_drops: 0
interface_drops: ~
lost_packets: 0
recovered: false
close_reason: time
gap_start: ~
gap_reason: ""
clock_jump_seconds: 0.000
slice_encrypted: 0
sliced_packets: 0
slice_saved_bytes: 0
sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
prev_sha256: ""
""")
    text = b'{"device":"plug","on":true}\n' * 20
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    rawdef = raw.compress(text) + raw.flush()
    gz = gzip.compress(text, mtime=0)

    def chunk(b, n=40):
        return b''.join(b'%x;ext=1\r\n' % len(b[i:i + n]) + b[i:i + n] + b'\r\n'
                        for i in range(0, len(b), n)) + b'0\r\nX-Trailer: 1\r\n\r\n'
    put('httpbody', 'gzip', b'\x01\x00\x10' + gz)
    put('httpbody', 'chunked-gzip', b'\x81\x00\x07' + chunk(gz))
    put('httpbody', 'zlib', b'\x03\x00\x20' + zlib.compress(text))
    put('httpbody', 'raw-deflate-capped', b'\x03\x84\x20' + rawdef)
    put('httpbody', 'chunked-identity', b'\x80\x00\x05' + chunk(text, 100))
    put('httpbody', 'gzip-gzip', b'\x05\x00\x40' + gzip.compress(gz, mtime=0))
    # A keep-alive HTTP session as reasm operations: [op][off u16][extra][len][bytes].
    req = b'GET /a HTTP/1.1\r\nHost: cam.local\r\nAccept-Encoding: gzip\r\n\r\n'
    resp = (b'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n'
            + chunk(gz))
    ops = b'\x00'
    ops += struct.pack('>BHBB', 0x10, 0, 0, 0)                          # SYN out
    ops += struct.pack('>BHBB', 0x01 | 0x90, 0, 0, 0)                   # SYN+ACK in
    for i in range(0, len(req), 30):
        ops += struct.pack('>BHBB', 0xc0, 1 + i, 0, len(req[i:i + 30])) + req[i:i + 30]
    pieces = [resp[i:i + 90] for i in range(0, len(resp), 90)]
    pos = [sum(len(p) for p in pieces[:k]) for k in range(len(pieces))]
    for k in list(range(1, len(pieces))) + [0]:                         # out of order
        ops += struct.pack('>BHBB', 0x01 | 0xc0, 1 + pos[k], 0, len(pieces[k])) + pieces[k]
    ops += struct.pack('>BHBB', 0x08 | 0x80, 1 + len(req), 0, 0)            # FIN out
    ops += struct.pack('>BHBB', 0x01 | 0x08 | 0x80, 1 + len(resp), 0, 0)    # FIN in
    ops += struct.pack('>BHBB', 0x06, 0, 0, 0) + struct.pack('>BHBB', 0x07, 0, 0, 0)
    put('reasm', 'keepalive-ooo', ops)
    hops = b'\x00' + struct.pack('>BH', 0, len(req)) + req + struct.pack('>BH', 1, len(resp)) + resp
    put('http', 'chunked-gzip', hops)
    put('hello', 'http-split', b'\x00' + struct.pack('>BHB', 0x02, 0, 0)
        + struct.pack('>BHB', 0x18, 21, len(req) - 20) + req[20:]
        + struct.pack('>BHB', 0x18, 1, 20) + req[:20])


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == 'shared':
        src, dst = sys.argv[2], sys.argv[3]
        out = Out(dst, 400)
        caps = os.path.join(dst, 'capture')
        os.makedirs(caps, exist_ok=True)
        n = 0
        for dirpath, _, files in sorted(os.walk(src)):
            for f in sorted(files):
                path = os.path.join(dirpath, f)
                if not f.endswith(('.pcap', '.pcapng', '.gz', '.zst', '.cap')):
                    continue
                if os.path.getsize(path) <= 65536 and n < 2000:
                    n += 1
                    os.symlink(os.path.abspath(path), os.path.join(caps, '%04d-%s' % (n, f)))
                try:
                    cut(path, out)
                except (struct.error, IndexError, ValueError) as e:
                    print('seeds: %s: skipped (%s)' % (path, e), file=sys.stderr)
        print('seeds: %d capture files; %s' % (n, ', '.join('%s %d' % kv for kv in sorted(out.count.items()))))
    elif len(sys.argv) >= 4 and sys.argv[1] == 'pcap':
        out = Out(sys.argv[-1], 8)
        for path in sys.argv[2:-1]:
            cut(path, out)
        print('seeds: %s' % ', '.join('%s %d' % kv for kv in sorted(out.count.items())))
    elif len(sys.argv) == 4 and sys.argv[1] == 'handmade':
        handmade(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
