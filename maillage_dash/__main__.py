from maillage_dash.cli import main

raise SystemExit(main())
