#!/usr/bin/perl
# Writes a classic pcap (LE, usec, Ethernet) with DNS over TCP (port 53)
# between a device (00:11:22:33:44:55, 192.168.1.50) and the router
# (00:aa:bb:cc:dd:ee, 192.168.1.1):
#   1. a UDP query for a.tcp.example answered with TC=1 and no answer, then
#      the same query over TCP; the TCP answer (CNAME cdn.tcp.example, A
#      203.0.113.7) is split across two segments, inside the message;
#   2. a TLS-less TCP flow to 203.0.113.7:443 (named only by that answer);
#   3. a second TCP connection with two queries in one segment
#      (b.tcp.example AAAA, c.tcp.example A) and both answers in one
#      segment, the second of them delivered out of order before the first
#      (B then A by sequence number: reassembly puts them back);
# With the argument "cut": one more connection whose answer stops after 10
# of its bytes (FIN), for the damage report.
# With "many N": only N TCP connections from ports 41000.., each carrying the
# first 5 bytes of a query and never closed (the stream table's cap).
# Usage: reports-dnstcp.pl [cut | many N] > FILE.pcap
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use PcapGen;
my $mode = shift // '';
my $cut = $mode eq 'cut';
my $many = $mode eq 'many' ? shift : 0;
pcap_header();
my $dev = pack('C6', 0x00, 0x11, 0x22, 0x33, 0x44, 0x55);
my $rtr = pack('C6', 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
my $devip = pack('C4', 192, 168, 1, 50);
my $rtrip = pack('C4', 192, 168, 1, 1);
my ($sec, $usec) = (1761955200, 0);
# Frames 1 ms apart.
sub out {
    frame($sec, $usec, $_[0]);
    $usec += 1000;
    if ($usec >= 1000000) { $usec -= 1000000; $sec++ }
}
sub udp {
    my ($dst, $src, $sip, $dip, $sp, $dp, $payload) = @_;
    out(eth_ipv4($dst, $src, 17, $sip, $dip, udp_l4($sp, $dp, $payload)));
}
sub tcp {
    my ($dst, $src, $sip, $dip, $sp, $dp, $seq, $ack, $flags, $payload) = @_;
    out(eth_ipv4($dst, $src, 6, $sip, $dip, tcp_l4($sp, $dp, $seq, $ack, $flags, $payload)));
}
sub name { join('', map { chr(length $_) . $_ } split /\./, $_[0]) . "\0" }
sub query {
    my ($id, $q, $type) = @_;
    return pack('nnnnnn', $id, 0x0100, 1, 0, 0, 0) . name($q) . pack('nn', $type, 1);
}
# answers: [type, owner-offset-or-name, rdata]
sub response {
    my ($id, $flags, $q, $type, @an) = @_;
    my $m = pack('nnnnnn', $id, $flags, 1, scalar @an, 0, 0) . name($q) . pack('nn', $type, 1);
    for my $a (@an) {
        my ($t, $owner, $rdata) = @$a;
        $m .= $owner . pack('nnNn', $t, 1, 300, length $rdata) . $rdata;
    }
    return $m;
}
sub framed { pack('n', length $_[0]) . $_[0] }

# A TCP connection: client port, then a list of [dir, bytes] (dir 0 client
# -> router, 1 back), then optional flags; sends SYN/SYN-ACK/ACK first and
# FIN both ways at the end. Segments marked 'swap' go out in reverse order.
sub conn {
    my ($cport, $segs, %o) = @_;
    my @seq = (1000, 5000);
    my @end = ([$rtr, $dev, $devip, $rtrip, $cport, 53], [$dev, $rtr, $rtrip, $devip, 53, $cport]);
    tcp(@{$end[0]}, $seq[0], 0, 2, '');
    tcp(@{$end[1]}, $seq[1], $seq[0] + 1, 18, '');
    $seq[0]++; $seq[1]++;
    tcp(@{$end[0]}, $seq[0], $seq[1], 16, '');
    my @pending;
    for my $s (@$segs) {
        my ($d, $bytes, $flag) = @$s;
        my @pkt = (@{$end[$d]}, $seq[$d], $seq[1 - $d], 24, $bytes);
        $seq[$d] += length $bytes;
        if (($flag // '') eq 'hold') { push @pending, \@pkt; next }
        tcp(@pkt);
        tcp(@$_) for @pending;
        @pending = ();
    }
    tcp(@{$end[0]}, $seq[0], $seq[1], 17, '');
    tcp(@{$end[1]}, $seq[1], $seq[0] + 1, 17, '');
    tcp(@{$end[0]}, $seq[0] + 1, $seq[1] + 1, 16, '');
}

if ($many) {
    for my $i (0 .. $many - 1) {
        my @e = ($rtr, $dev, $devip, $rtrip, 41000 + $i, 53);
        tcp(@e, 1000, 0, 2, '');
        tcp(@e, 1001, 0, 24, substr(framed(query($i, "m$i.tcp.example", 1)), 0, 5));
    }
    exit 0;
}
# 1. UDP, truncated; then TCP with the answer split in two segments.
udp($rtr, $dev, $devip, $rtrip, 40001, 53, query(0x1111, 'a.tcp.example', 1));
udp($dev, $rtr, $rtrip, $devip, 53, 40001, response(0x1111, 0x8380, 'a.tcp.example', 1));
my $ra = framed(response(0x2222, 0x8180, 'a.tcp.example', 1,
                         [5, pack('n', 0xc00c), name('cdn.tcp.example')],
                         [1, name('cdn.tcp.example'), pack('C4', 203, 0, 113, 7)]));
conn(40002, [[0, framed(query(0x2222, 'a.tcp.example', 1))],
             [1, substr($ra, 0, 20)], [1, substr($ra, 20)]]);
# 2. A flow to the address named over TCP.
my $srv = pack('C4', 203, 0, 113, 7);
tcp($rtr, $dev, $devip, $srv, 50000, 443, 7000, 0, 2, '');
tcp($dev, $rtr, $srv, $devip, 443, 50000, 9000, 7001, 18, '');
tcp($rtr, $dev, $devip, $srv, 50000, 443, 7001, 9001, 16, '');
tcp($rtr, $dev, $devip, $srv, 50000, 443, 7001, 9001, 24, 'not tls, no name inside');
# 3. Two queries in one segment, two answers in one segment, out of order.
my $two = framed(query(0x3333, 'b.tcp.example', 28)) . framed(query(0x4444, 'c.tcp.example', 1));
my $ans = framed(response(0x3333, 0x8180, 'b.tcp.example', 28,
                          [28, pack('n', 0xc00c), pack('H32', '20010db8000000000000000000000042')]))
        . framed(response(0x4444, 0x8180, 'c.tcp.example', 1,
                          [1, pack('n', 0xc00c), pack('C4', 198, 51, 100, 9)]));
conn(40003, [[0, $two], [1, substr($ans, 0, 30), 'hold'], [1, substr($ans, 30)]]);
if ($cut) {
    my $r = framed(response(0x5555, 0x8180, 'd.tcp.example', 1,
                            [1, pack('n', 0xc00c), pack('C4', 198, 51, 100, 10)]));
    conn(40004, [[0, framed(query(0x5555, 'd.tcp.example', 1))], [1, substr($r, 0, 12)]]);
}
