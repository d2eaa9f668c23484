"""Whole runs, from cases to a report: check (check_grad, check_file, assert_grad_matches), stepcheck
(check_step), epoch (check_epoch)."""
