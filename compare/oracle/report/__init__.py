"""Reports as a person reads them and as JSON: report (gradients), stepreport (steps and epochs)."""
