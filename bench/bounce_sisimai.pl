#!/usr/bin/perl
# bounce_sisimai.pl PATH... -- read every bounce in the given Maildir
# folders and mbox files with Sisimai (Debian's libsisimai-perl), the way
# its users do: Sisimai->rise (Sisimai 5) or Sisimai->make (Sisimai 4) per
# path.  Prints "sisimai MESSAGES_SEEN RECORDS" on stdout; timing is done by
# the caller (whole process, start-up included).
use strict;
use warnings;
use Sisimai;

my $records = 0;
my $reader = Sisimai->can('rise') ? 'rise' : 'make';
for my $path (@ARGV) {
	my $v = Sisimai->$reader($path, 'delivered' => 1, 'vacation' => 1);
	$records += scalar(@$v) if ref $v eq 'ARRAY';
}
printf "sisimai %s %d\n", $Sisimai::VERSION, $records;
