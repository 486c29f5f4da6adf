#!/usr/bin/perl
# http-gen.pl - writes a classic pcap of hand-made HTTP conversations over
# Ethernet/IPv4/TCP (handshake, data in MSS-sized segments with ACKs, FINs)
# for the iotap-http / iotap-extract tests, so each hostile case is exact
# and known: the expected bodies are printed to BODIES_DIR (one file per
# body, named NN-req / NN-resp) so the tests hash what was really sent.
#
#   perl http-gen.pl SCENARIO OUT.pcap [BODIES_DIR]
#
# Scenarios: traversal, bomb, lying, endless, pipelined, gaps, overlap.
use strict;
use warnings;
use Compress::Zlib;

my ($scenario, $out, $bodies) = @ARGV;
die "usage: $0 SCENARIO OUT.pcap [BODIES_DIR]\n" unless defined $out;
open(my $fh, '>', $out) or die "$out: $!\n";
binmode $fh;
print $fh pack('VvvVVVV', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1);

my $t = 1767225600.0;   # 2026-01-01T00:00:00Z
my $nbody = 0;
my $DEV_MAC = "\x02\x11\x22\x33\x44\x55";
my $GW_MAC = "\x02\xaa\xbb\xcc\xdd\x01";

sub body_out {   # records an expected body
    my ($name, $data) = @_;
    return unless defined $bodies;
    open(my $b, '>', "$bodies/$name") or die "$bodies/$name: $!\n";
    binmode $b;
    print $b $data;
    close $b;
}

sub csum {
    my $s = 0;
    $s += $_ for unpack('n*', $_[0] . (length($_[0]) % 2 ? "\0" : ''));
    $s = ($s & 0xffff) + ($s >> 16) while $s >> 16;
    return ~$s & 0xffff;
}

sub pkt {
    my ($c, $from_client, $seq, $ack, $flags, $data) = @_;
    my ($sip, $dip, $sp, $dp) = $from_client ? ($c->{cip}, $c->{sip}, $c->{cport}, $c->{sport})
                                             : ($c->{sip}, $c->{cip}, $c->{sport}, $c->{cport});
    my $tcp = pack('nnNNCCnnn', $sp, $dp, $seq & 0xffffffff, $ack & 0xffffffff, 5 << 4, $flags,
                   65535, 0, 0) . $data;
    my $ip = pack('CCnnnCCna4a4', 0x45, 0, 20 + length($tcp), 1, 0x4000, 64, 6, 0, $sip, $dip);
    substr($ip, 10, 2) = pack('n', csum($ip));
    my $eth = ($from_client ? $GW_MAC . $DEV_MAC : $DEV_MAC . $GW_MAC) . "\x08\x00";
    my $frame = $eth . $ip . $tcp;
    my $sec = int($t);
    my $usec = int(($t - $sec) * 1e6 + 0.5);
    print $fh pack('VVVV', $sec, $usec, length($frame), length($frame)), $frame;
    $t += 0.0001;
}

# conv(port, [[from_client, bytes], ...], %opts): one TCP connection.
#   ooo => 1    swap neighbouring segments of each message
#   dup => 1    send every third segment twice
#   drop => {N => 1}  never send segment number N (0-based, whole connection)
#   isn => [client_isn, server_isn]
#   evil => {N => 1}  after segment number N, send a copy of it with other
#               bytes (an overlap that contradicts what was received)
sub conv {
    my ($cport, $msgs, %o) = @_;
    my $c = { cip => pack('C4', 192, 168, 1, 20), sip => pack('C4', 93, 184, 216, 34),
              cport => $cport, sport => $o{sport} // 80 };
    my ($cs, $ss) = @{ $o{isn} // [1000, 500000] };
    pkt($c, 1, $cs, 0, 0x02, '');
    pkt($c, 0, $ss, $cs + 1, 0x12, '');
    $cs++; $ss++;
    pkt($c, 1, $cs, $ss, 0x10, '');
    my $segno = 0;
    for my $m (@$msgs) {
        my ($fc, $bytes) = @$m;
        my @segs;
        my $base = $fc ? $cs : $ss;
        for (my $off = 0; $off < length($bytes); $off += 1400) {
            push @segs, [$base + $off, substr($bytes, $off, 1400)];
        }
        if ($o{ooo}) {
            for (my $i = 0; $i + 1 < @segs; $i += 2) { @segs[$i, $i + 1] = @segs[$i + 1, $i]; }
        }
        my $k = 0;
        for my $s (@segs) {
            my $n = $segno++;
            next if $o{drop} && $o{drop}{$n};
            my $times = ($o{dup} && $k++ % 3 == 0) ? 2 : 1;
            pkt($c, $fc, $s->[0], $fc ? $ss : $cs, 0x18, $s->[1]) for 1 .. $times;
            if ($o{evil} && $o{evil}{$n}) {
                (my $other = $s->[1]) =~ tr/0-9a-z/a-z0-9/;
                pkt($c, $fc, $s->[0], $fc ? $ss : $cs, 0x18, $other);
            }
        }
        if ($fc) { $cs += length($bytes); } else { $ss += length($bytes); }
        pkt($c, !$fc, $fc ? $ss : $cs, $fc ? $cs : $ss, 0x10, '');   # the ACK
    }
    pkt($c, 1, $cs, $ss, 0x11, '');
    pkt($c, 0, $ss, $cs + 1, 0x11, '');
    pkt($c, 1, $cs + 1, $ss + 1, 0x10, '');
    $t += 1;
}

sub resp {
    my ($body, %h) = @_;
    my $hdr = "HTTP/1.1 " . ($h{status} // '200 OK') . "\r\n";
    $hdr .= "Content-Type: " . ($h{type} // 'application/octet-stream') . "\r\n";
    $hdr .= "Content-Encoding: $h{ce}\r\n" if $h{ce};
    $hdr .= "Content-Length: " . ($h{cl} // length($body)) . "\r\n" unless $h{nocl};
    $hdr .= $h{extra} // '';
    return "$hdr\r\n$body";
}

my %scen;
$scen{traversal} = sub {
    my @uris = ('/../../../../etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fcron.d%2fevil',
                '/x/..%2f..%2f..%2fhome', '/nul%00byte.png', "/ctl%1b%5b31m%0a%0dname.txt",
                '/' . ('A' x 300) . '.jpg', '/.hidden', '/..', '/%2F', '/a\\..\\..\\b.txt');
    my $port = 40000;
    for my $u (@uris) {
        my $body = "body for $u\n";
        body_out(sprintf('%02d-resp', $nbody++), $body);
        conv($port++, [[1, "GET $u HTTP/1.1\r\nHost: evil.example\r\n\r\n"],
                       [0, resp($body, type => 'text/plain')]]);
    }
};
$scen{bomb} = sub {
    # 256 MiB of zeros, gzip level 9: about 250 KiB on the wire.
    my ($d, $st) = deflateInit(-Level => 9, -WindowBits => 31);
    my $z = '';
    my $chunk = "\0" x (1 << 20);
    for (1 .. 256) { my ($o) = $d->deflate($chunk); $z .= $o; }
    my ($o) = $d->flush(); $z .= $o;
    conv(40001, [[1, "GET /bomb.json HTTP/1.1\r\nHost: evil.example\r\n\r\n"],
                 [0, resp($z, type => 'application/json', ce => 'gzip')]]);
};
$scen{lying} = sub {
    # Content-Length claims 100000, 10 bytes come, then FIN.
    body_out(sprintf('%02d-resp', $nbody++), "0123456789");
    conv(40002, [[1, "GET /short HTTP/1.1\r\nHost: liar.example\r\n\r\n"],
                 [0, resp("0123456789", cl => 100000)]]);
    # Chunk sizes that lie: 2^64 and a size larger than what follows.
    conv(40003, [[1, "GET /chunks HTTP/1.1\r\nHost: liar.example\r\n\r\n"],
                 [0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nabc\r\n0\r\n\r\n"]]);
    # A negative length, then a fine response on a new connection.
    conv(40004, [[1, "GET /neg HTTP/1.1\r\nHost: liar.example\r\n\r\n"],
                 [0, resp("abc", cl => '-3')]]);
    body_out(sprintf('%02d-resp', $nbody++), "fine\n");
    conv(40005, [[1, "GET /fine.txt HTTP/1.1\r\nHost: liar.example\r\n\r\n"],
                 [0, resp("fine\n", type => 'text/plain')]]);
};
$scen{endless} = sub {
    # A chunked body that never ends: 8 MiB of 4 KiB chunks, no last chunk.
    my $chunk = sprintf("%x\r\n", 4096) . ('x' x 4096) . "\r\n";
    conv(40006, [[1, "GET /stream HTTP/1.1\r\nHost: endless.example\r\n\r\n"],
                 [0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                     . ($chunk x 2048)]]);
};
$scen{pipelined} = sub {
    my ($reqs, $resps) = ('', '');
    for my $i (0 .. 9999) {
        $reqs .= "GET /item/$i HTTP/1.1\r\nHost: pipe.example\r\n\r\n";
        $resps .= resp("item $i\n", type => 'text/plain');
    }
    conv(40007, [[1, $reqs], [0, $resps]]);
};
$scen{gaps} = sub {
    # Keep-alive: the first body loses its second segment; the second
    # response must still be found and complete.
    my $big = join('', map { sprintf("%07d\n", $_) } 0 .. 999);   # 8000 bytes
    my $small = "after the gap\n";
    body_out(sprintf('%02d-resp', $nbody++), $small);
    conv(40008, [[1, "GET /big.txt HTTP/1.1\r\nHost: gap.example\r\n\r\n"],
                 [0, resp($big, type => 'text/plain')],
                 [1, "GET /small.txt HTTP/1.1\r\nHost: gap.example\r\n\r\n"],
                 [0, resp($small, type => 'text/plain')]], drop => {2 => 1});
    # Out of order and retransmitted, with sequence numbers wrapping, an
    # upload and a gzip download: complete, exact.
    my $up = join('', map { chr(($_ * 7) % 256) } 0 .. 29999);
    my $json = '{"v":[' . join(',', 0 .. 4000) . ']}';
    body_out(sprintf('%02d-req', $nbody++), $up);
    body_out(sprintf('%02d-resp', $nbody++), $json);
    conv(40009, [[1, "POST /upload.bin HTTP/1.1\r\nHost: gap.example\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                     . length($up) . "\r\n\r\n$up"],
                 [0, resp(Compress::Zlib::memGzip($json), type => 'application/json', ce => 'gzip')]],
         ooo => 1, dup => 1, isn => [0xffffff00, 0xfffff000]);
};
$scen{overlap} = sub {
    # The second segment of a body arrives first, then a copy of it with
    # other bytes, then the first: the first copy is kept (the body is
    # what was sent first) but marked incomplete; the next response on the
    # connection is untouched.
    my $big = join('', map { sprintf("%07d\n", $_) } 0 .. 374);   # 3000 bytes
    my $small = "after the overlap\n";
    body_out(sprintf('%02d-resp', $nbody++), $big);
    body_out(sprintf('%02d-resp', $nbody++), $small);
    conv(40010, [[1, "GET /over.txt HTTP/1.1\r\nHost: overlap.example\r\n\r\n"],
                 [0, resp($big, type => 'text/plain')],
                 [1, "GET /clean.txt HTTP/1.1\r\nHost: overlap.example\r\n\r\n"],
                 [0, resp($small, type => 'text/plain')]], ooo => 1, evil => {1 => 1});
};
die "unknown scenario $scenario\n" unless $scen{$scenario};
$scen{$scenario}->();
close $fh or die "$out: $!\n";
