from wijkwerk_tui.cli import main

raise SystemExit(main())
