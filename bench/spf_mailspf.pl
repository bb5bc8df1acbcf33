#!/usr/bin/perl
# spf_mailspf.pl -- the Mail::SPF (Debian libmail-spf-perl) side of the SPF
# benchmark.
#
#   spf_mailspf.pl --server ADDR --inputs FILE [--seconds S] [--max N]
#
# Mail::SPF asks DNS through a Net::DNS::Resolver; we hand it one that
# names ADDR port 53 (loopback only), so the machine's resolv.conf is not
# involved.  Neither Mail::SPF nor Net::DNS caches answers: every
# evaluation asks the server again, which is how Mail::SPF runs in a
# milter unless a caching resolver sits in front of it.
#
# First every input line is checked once and "VERDICT <n> <result>"
# printed; then the inputs are evaluated round robin for S seconds (at most
# N evaluations) and "RATE <evaluations/s> <evaluations> <seconds>" printed.
use strict;
use warnings;
use Getopt::Long;
use Time::HiRes qw(time);
use Net::DNS;
use Mail::SPF;

my ($server, $inputs, $seconds, $max) = (undef, undef, 3.0, 1000000);
GetOptions('server=s' => \$server, 'inputs=s' => \$inputs,
    'seconds=f' => \$seconds, 'max=i' => \$max)
    or die "spf_mailspf.pl: bad arguments\n";
die "spf_mailspf.pl: need --server and --inputs\n"
    unless defined $server && defined $inputs;
die "spf_mailspf.pl: $server is not a loopback address\n"
    unless $server =~ /^127\./;

my @rows;
open(my $fh, '<', $inputs) or die "spf_mailspf.pl: $inputs: $!\n";
while (my $line = <$fh>) {
	$line =~ s/#.*//;
	my @f = split ' ', $line;
	push @rows, [@f] if @f == 5;
}
close $fh;
die "spf_mailspf.pl: $inputs: no input lines\n" unless @rows;

my $resolver = Net::DNS::Resolver->new(
    nameservers => [$server], port => 53, recurse => 1,
    retry => 2, udp_timeout => 5, tcp_timeout => 5, searchlist => []);
my $spf = Mail::SPF::Server->new(dns_resolver => $resolver);

sub evaluate {
	my ($row) = @_;
	my ($dom, $ip, $sender, $helo) = @$row;
	my $req = Mail::SPF::Request->new(versions => [1], scope => 'mfrom',
	    identity => $sender, ip_address => $ip, helo_identity => $helo);
	return $spf->process($req)->code;
}

my $n = 0;
for my $row (@rows) {
	$n++;
	printf "VERDICT %d %s\n", $n, evaluate($row);
}
evaluate($_) for @rows;    # warm-up, as for the other tools

my $count = 0;
my $start = time;
my $deadline = $start + $seconds;
while ($count < $max) {
	evaluate($_) for @rows;
	$count += @rows;
	last if time >= $deadline;
}
my $elapsed = time - $start;
printf "RATE %.1f %d %.3f\n", $count / $elapsed, $count, $elapsed;
