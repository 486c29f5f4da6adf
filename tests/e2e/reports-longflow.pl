#!/usr/bin/perl
# Writes a classic pcap (LE, usec, Ethernet) with long flows of one device
# (00:11:22:33:44:55, 192.168.1.50) for the timeline tests:
#   - a DNS query and the router's answer naming 100.64.0.1 "long.example.com";
#   - one UDP flow to 100.64.0.1:9000, a request and a reply every second
#     for N seconds (N buckets with --bucket 1s);
#   - one TCP flow to 100.64.0.2:8883 whose client never sends data (its
#     inspection is never over): handshake, then every second 10 bytes from
#     the server and the client's ACK, then FIN/ACK both ways.
# Start: 2025-11-01T00:00:00Z. Usage: reports-longflow.pl N > FILE.pcap
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use PcapGen;
my $n = shift // die "usage: $0 N\n";
pcap_header();
my $dev = pack('C6', 0x00, 0x11, 0x22, 0x33, 0x44, 0x55);
my $rtr = pack('C6', 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
my $devip = pack('C4', 192, 168, 1, 50);
my $rtrip = pack('C4', 192, 168, 1, 1);
my $udpip = pack('C4', 100, 64, 0, 1);
my $tcpip = pack('C4', 100, 64, 0, 2);
my $t0 = 1761955200;
sub out {
    my ($us, $f) = @_;     # $us: microseconds since $t0
    frame($t0 + int($us / 1000000), $us % 1000000, $f);
}
sub udp {
    my ($us, $dst, $src, $sip, $dip, $sp, $dp, $payload) = @_;
    out($us, eth_ipv4($dst, $src, 17, $sip, $dip, udp_l4($sp, $dp, $payload)));
}
sub tcp {
    my ($us, $dst, $src, $sip, $dip, $sp, $dp, $seq, $ack, $flags, $payload) = @_;
    out($us, eth_ipv4($dst, $src, 6, $sip, $dip, tcp_l4($sp, $dp, $seq, $ack, $flags, $payload)));
}
my $name = join('', map { chr(length $_) . $_ } ('long', 'example', 'com')) . "\0";
udp(0, $rtr, $dev, $devip, $rtrip, 40000, 53,
    pack('nnnnnn', 1, 0x0100, 1, 0, 0, 0) . $name . pack('nn', 1, 1));
udp(50, $dev, $rtr, $rtrip, $devip, 53, 40000,
    pack('nnnnnn', 1, 0x8180, 1, 1, 0, 0) . $name . pack('nn', 1, 1)
    . pack('nnnNn', 0xc00c, 1, 1, 86400, 4) . $udpip);
my ($cs, $ss) = (1000, 5000);
tcp(100, $rtr, $dev, $devip, $tcpip, 50000, 8883, $cs, 0, 0x02, '');
tcp(200, $dev, $rtr, $tcpip, $devip, 8883, 50000, $ss, $cs + 1, 0x12, '');
tcp(300, $rtr, $dev, $devip, $tcpip, 50000, 8883, $cs + 1, $ss + 1, 0x10, '');
$ss++; $cs++;
for my $i (0 .. $n - 1) {
    my $us = 1000000 * $i + 500000;
    udp($us, $rtr, $dev, $devip, $udpip, 40001, 9000, 'ping' x ($i % 5 + 1));
    udp($us + 1000, $dev, $rtr, $udpip, $devip, 9000, 40001, 'pong');
    tcp($us + 2000, $dev, $rtr, $tcpip, $devip, 8883, 50000, $ss, $cs, 0x18, 'x' x 10);
    $ss += 10;
    tcp($us + 3000, $rtr, $dev, $devip, $tcpip, 50000, 8883, $cs, $ss, 0x10, '');
}
my $end = 1000000 * $n;
tcp($end, $rtr, $dev, $devip, $tcpip, 50000, 8883, $cs, $ss, 0x11, '');
tcp($end + 100, $dev, $rtr, $tcpip, $devip, 8883, 50000, $ss, $cs + 1, 0x11, '');
tcp($end + 200, $rtr, $dev, $devip, $tcpip, 50000, 8883, $cs + 1, $ss + 1, 0x10, '');
