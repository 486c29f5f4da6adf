# PcapGen.pm - the frame building the reports test generators share: a
# classic pcap (little-endian, microseconds, Ethernet) on STDOUT, and
# Ethernet/IPv4/UDP/TCP frames (IPv4 checksum 0, DF set, TTL 64; frames
# padded to Ethernet's 60-byte minimum).
#   use FindBin; use lib $FindBin::Bin; use PcapGen;
#   pcap_header(); frame($sec, $usec, eth_ipv4($dst, $src, 17, $sip, $dip, udp_l4(...)));
package PcapGen;
use strict;
use warnings;
use Exporter 'import';
our @EXPORT = qw(pcap_header frame eth_ipv4 udp_l4 tcp_l4);

sub pcap_header {
    binmode STDOUT;
    print pack('VvvlVVV', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1);
}
# One record at SEC.USEC.
sub frame {
    my ($sec, $usec, $f) = @_;
    $f .= "\0" x (60 - length $f) if length $f < 60;
    print pack('VVVV', $sec, $usec, length $f, length $f), $f;
}
sub eth_ipv4 {
    my ($dst, $src, $proto, $sip, $dip, $l4) = @_;
    return $dst . $src . pack('n', 0x0800)
        . pack('CCnnnCCna4a4', 0x45, 0, 20 + length $l4, 0, 0x4000, 64, $proto, 0, $sip, $dip) . $l4;
}
sub udp_l4 {
    my ($sp, $dp, $payload) = @_;
    return pack('nnnn', $sp, $dp, 8 + length $payload, 0) . $payload;
}
# TCP flags: FIN 1, SYN 2, RST 4, PSH 8, ACK 16
sub tcp_l4 {
    my ($sp, $dp, $seq, $ack, $flags, $payload) = @_;
    return pack('nnNNCCnnn', $sp, $dp, $seq, $ack, 0x50, $flags, 65535, 0, 0) . $payload;
}
1;
