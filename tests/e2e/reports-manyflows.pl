#!/usr/bin/perl
# Writes a classic pcap (LE, usec, Ethernet) with N one-packet UDP flows
# from one device (00:11:22:33:44:55, 192.168.1.50) to N distinct outside
# addresses (100.64.0.0 + i, ports vary), 1 us apart so that no flow goes
# idle, and before every 8th flow a DNS response from the router naming
# that flow's address (hN.example.com), so the name cache fills too.
# Usage: reports-manyflows.pl N > FILE.pcap
use strict;
use warnings;
my $n = shift // die "usage: $0 N\n";
binmode STDOUT;
print pack('VvvlVVV', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1);
my $dev = pack('C6', 0x00, 0x11, 0x22, 0x33, 0x44, 0x55);
my $rtr = pack('C6', 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
my ($sec, $usec) = (1761955200, 0);
sub frame {
    my ($dst, $src, $sip, $dip, $sp, $dp, $payload) = @_;
    my $udp = pack('nnnn', $sp, $dp, 8 + length $payload, 0) . $payload;
    my $ip = pack('CCnnnCCna4a4', 0x45, 0, 20 + length $udp, 0, 0x4000, 64, 17, 0, $sip, $dip);
    my $f = $dst . $src . pack('n', 0x0800) . $ip . $udp;
    $f .= "\0" x (60 - length $f) if length $f < 60;
    print pack('VVVV', $sec, $usec, length $f, length $f), $f;
    if (++$usec == 1000000) { $usec = 0; $sec++ }
}
my $devip = pack('C4', 192, 168, 1, 50);
my $rtrip = pack('C4', 192, 168, 1, 1);
for my $i (0 .. $n - 1) {
    my $a = 0x64400000 + $i;
    my $ra = pack('N', $a);
    if ($i % 8 == 0) {
        my $name = join '', map { chr(length $_) . $_ } ("h$i", 'example', 'com');
        $name .= "\0";
        my $dns = pack('nnnnnn', $i & 0xffff, 0x8180, 1, 1, 0, 0) . $name . pack('nn', 1, 1)
            . pack('nnnNn', 0xc00c, 1, 1, 300, 4) . $ra;
        frame($dev, $rtr, $rtrip, $devip, 53, 40000, $dns);
    }
    frame($rtr, $dev, $devip, $ra, 1024 + ($i % 60000), 443 + ($i % 7), 'data');
}
